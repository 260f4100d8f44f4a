import ArgumentParser
import CurateKit
import Foundation

/// `\ef [FUNCTION [LINE]]` and `\ev [VIEW [LINE]]`: psql's `exec_command_ef_ev`. The definition
/// (or, without a name, psql's blank template) replaces the query buffer and is opened in the
/// editor (`PSQL_EDITOR`, `EDITOR`, `VISUAL`, else `vi`; LINE passed as
/// `PSQL_EDITOR_LINENUMBER_ARG`, default `+`). What is saved is read again as input: complete
/// statements run, the rest stays in the query buffer. Unchanged: `No changes`, buffer emptied.
enum ObjectEditing {
    static func edit(_ object: EditableObject, arguments: inout SlashOptionScanner, shell: Shell) throws {
        guard let frame = shell.frames.last else { return }
        var description = arguments.next(.wholeLine)?.value
        var lineNumber: Int? = nil
        if let typed = description, let (name, number) = try lineNumberSplit(typed) {
            description = name
            lineNumber = number
        }
        var text: String
        if let description {
            do {
                text = try object.definition(of: description, shell: shell)
            } catch let error as EditableObject.NotAView {
                // psql 15's query buffer keeps what it had written of the command; psql 18's
                // (servers of 18 on) is left as it was.
                if shell.session.info.serverVersion < 180000 {
                    frame.splitter.clearBuffer()
                    feed(error.partialText, to: frame, shell: shell)
                }
                throw ShellFailure(error.message)
            }
            if object == .function, let number = lineNumber {
                // The line number counts from the body's first line, as psql's does.
                lineNumber = number + headerLineCount(text)
            }
        } else {
            text = object == .function
                ? "CREATE FUNCTION ( )\n RETURNS \n LANGUAGE \n -- common options:  IMMUTABLE  STABLE  STRICT  SECURITY DEFINER\nAS $function$\n\n$function$\n"
                : "CREATE VIEW  AS\n SELECT \n  -- something...\n"
        }
        frame.splitter.clearBuffer()
        guard let edited = try runEditor(on: text, lineNumber: lineNumber) else {
            // On standard output, as psql's puts.
            let writer = shell.console.isRedirected ? shell.console.standardOutputWriter : shell.console.output
            writer.write("No changes\n")
            shell.console.flush()
            return
        }
        // psql reads the edited text as the next input line: statements run as typed.
        feed(edited, to: frame, shell: shell)
        if frame.isInteractive && !frame.splitter.bufferIsEmpty {
            // psql shows what is left in the query buffer before the next prompt.
            shell.console.print(frame.splitter.buffer)
            shell.console.flush()
        }
    }

    /// Text read as input of `frame`: complete statements run, the rest stays in the query buffer.
    static func feed(_ text: String, to frame: InputFrame, shell: Shell) {
        // A final newline stays in the buffer as psql's lexer keeps it (`\\p` shows it).
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            for item in frame.splitter.feed(line: String(line), lineNumber: frame.source.lineNumber, resolve: shell.resolveVariable) {
                shell.execute(item, in: frame)
            }
        }
    }

    /// psql's `strip_lineno_from_objdesc`: a trailing number after a space or `)` is the line
    /// to open at (the name keeps what stood before the digits). Nil when there is none; a
    /// number below 1 is an error.
    static func lineNumberSplit(_ text: String) throws -> (String, Int)? {
        let bytes = Array(text.utf8)
        var end = bytes.count - 1
        while end > 0, SQLBytes.isSpace(bytes[end]) { end -= 1 }
        guard end > 0, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]) else { return nil }
        var start = end
        while start > 0, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[start]) { start -= 1 }
        guard start > 0, SQLBytes.isSpace(bytes[start]) || bytes[start] == UInt8(ascii: ")") else { return nil }
        let digits = String(decoding: bytes[(start + 1)...end], as: UTF8.self)
        let number = Int(digits.prefix(18)) ?? Int.max
        guard number >= 1 else {
            throw ShellFailure("invalid line number: " + String(decoding: bytes[(start + 1)...], as: UTF8.self))
        }
        return (String(decoding: bytes[...start], as: UTF8.self), number)
    }

    /// The lines of a function definition before its body (`AS `, `BEGIN `, `RETURN `).
    static func headerLineCount(_ text: String) -> Int {
        var count = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("AS ") || line.hasPrefix("BEGIN ") || line.hasPrefix("RETURN ") { break }
            count += 1
        }
        return count
    }

    /// psql's `do_edit` on a temporary file: the edited text, or nil when the file was left
    /// unchanged (same size and modification time). A failed editor fails the command.
    static func runEditor(on text: String, lineNumber: Int?) throws -> String? {
        let environment = ProcessInfo.processInfo.environment
        let folder = environment["TMPDIR"] ?? "/tmp"
        let path = folder + "/curate.edit.\(getpid()).sql"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw ShellFailure("could not open temporary file \"\(path)\": \(String(cString: strerror(errno)))")
        }
        defer { unlink(path) }
        let contents = text.isEmpty || text.hasSuffix("\n") ? text : text + "\n"
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try handle.write(contentsOf: Data(contents.utf8))
        try handle.close()
        // A modification time in the past, so that a quick edit still changes it (as psql).
        let past = Date().addingTimeInterval(-2)
        try? FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: path)
        let before = try FileManager.default.attributesOfItem(atPath: path)

        let editor = environment["PSQL_EDITOR"] ?? environment["EDITOR"] ?? environment["VISUAL"] ?? "vi"
        var command = "exec \(editor) '\(path)'"
        if let lineNumber {
            let argument = environment["PSQL_EDITOR_LINENUMBER_ARG"] ?? "+"
            command = "exec \(editor) \(argument)\(lineNumber) '\(path)'"
        }
        guard let pid = ShellCommandProcess.spawn(command) else {
            throw ShellFailure("could not start editor \"\(editor)\"")
        }
        // psql fails the command without a word when the editor exits with an error.
        guard ShellCommandProcess.wait(pid) == 0 else { throw ReportedFailure() }
        let after = try FileManager.default.attributesOfItem(atPath: path)
        let sameSize = (before[.size] as? NSNumber) == (after[.size] as? NSNumber)
        let sameTime = (before[.modificationDate] as? Date).map { Int($0.timeIntervalSince1970) }
            == (after[.modificationDate] as? Date).map { Int($0.timeIntervalSince1970) }
        if sameSize && sameTime { return nil }
        return String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }
}

struct EditFunctionCommand: SlashCommand {
    static let configuration = CommandConfiguration(
        commandName: "ef", abstract: "Edit a function's definition (or a new one) in the editor, then read it as input.")
    static let synopsis = "[FUNCNAME [LINE]]"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try ObjectEditing.edit(.function, arguments: &arguments, shell: shell)
    }
}

struct EditViewCommand: SlashCommand {
    static let configuration = CommandConfiguration(
        commandName: "ev", abstract: "Edit a view's definition (or a new one) in the editor, then read it as input.")
    static let synopsis = "[VIEWNAME [LINE]]"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try ObjectEditing.edit(.view, arguments: &arguments, shell: shell)
    }
}
