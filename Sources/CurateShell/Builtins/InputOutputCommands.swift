import ArgumentParser
import CurateKit
import Foundation

/// `\o [FILE | |COMMAND]`: results go to a file (created 0600) or to a program's standard input,
/// until the next `\o` (which closes the file or the pipe and waits for the program).
struct OutputCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "o", abstract: "Send results to a file or |program; \\o alone sends them back to stdout.")
    static let synopsis = "[FILE | |COMMAND]"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        guard let target = arguments.next(.filePipe, semicolon: true)?.value else {
            shell.redirectOutput(to: nil)
            return
        }
        if target.hasPrefix("|") {
            let command = String(target.dropFirst())
            var pipeEnds: [Int32] = [0, 0]
            guard pipe(&pipeEnds) == 0 else { throw ShellFailure("\(target): \(String(cString: strerror(errno)))") }
            _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
            shell.console.flush()
            let started = ShellCommandProcess.spawn(command, standardInput: pipeEnds[0])
            close(pipeEnds[0])
            guard let pid = started else {
                close(pipeEnds[1])
                throw ShellFailure("\(target): \(String(cString: strerror(errno)))")
            }
            shell.redirectOutput(to: OutputProgram(pid: pid, descriptor: pipeEnds[1]))
            return
        }
        let path = SlashCopyArguments.expandTilde(target)
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ShellFailure("\(path): \(String(cString: strerror(errno)))") }
        shell.redirectOutput(to: OutputProgram(pid: nil, descriptor: descriptor))
    }

    /// The file results go to for `-o FILE`, created or truncated (mode 0600, as `\o FILE`).
    static func open(_ file: String) throws -> OutputWriter {
        if file.hasPrefix("|") {
            throw CommandError("-o |COMMAND is not supported by curate", hint: "use -o FILE, or \\o |COMMAND in the script")
        }
        let descriptor = Glibc.open(SlashCopyArguments.expandTilde(file), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CommandError("\(file): \(String(cString: strerror(errno)))")
        }
        return OutputWriter(fileDescriptor: descriptor, ownsDescriptor: true)
    }
}

/// Where `\o` sends results: a file, or the pipe to a program (`pid`) curate waits for at the next `\o`.
final class OutputProgram {
    let pid: pid_t?
    let writer: OutputWriter
    private let descriptor: Int32

    init(pid: pid_t?, descriptor: Int32) {
        self.pid = pid
        self.descriptor = descriptor
        writer = OutputWriter(fileDescriptor: descriptor, ownsDescriptor: false)
    }

    /// Flushes, closes, and waits for the program to read to the end.
    func close() {
        writer.flush()
        _ = Foundation.close(descriptor)
        if let pid { _ = ShellCommandProcess.wait(pid) }
    }
}

extension Shell {
    /// Sends results to `target` (nil: standard output), closing the previous `\o` target.
    func redirectOutput(to target: OutputProgram?) {
        console.redirect(to: target?.writer)
        // What went to standard output meanwhile (`\echo`) comes before what the program prints
        // once its input is closed.
        console.flush()
        outputTarget?.close()
        outputTarget = target
    }
}

/// `\i FILE` and `\ir FILE`: read commands from a file, as if typed; `\ir` takes a relative name
/// from the folder of the file that includes it. A script stops at the first error (ON_ERROR_STOP).
struct IncludeCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "i", abstract: "Run the commands in a file (- for standard input).")
    static let synopsis = "FILE"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try include(invokedAs: name, arguments: &arguments, shell: shell, relative: false)
    }

    static func include(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell, relative: Bool) throws {
        guard let given = arguments.next(semicolon: true)?.value else { throw ShellFailure("\\\(name): missing required argument") }
        guard shell.frames.count < 64 else {
            throw CommandError("files included more than 64 deep (does \(given) include itself?)")
        }
        if given == "-" {
            shell.process(shell.standardInput, interactive: false)
            shell.resumeAfterIncludedScript()
            return
        }
        var path = SlashCopyArguments.expandTilde(given)
        if relative, !path.hasPrefix("/"), let current = shell.frames.last?.source as? FileInput, current !== shell.standardInput {
            let folder = (current.name as NSString).deletingLastPathComponent
            if !folder.isEmpty { path = folder + "/" + path }
        }
        guard let input = FileInput(path: path) else {
            throw ShellFailure("\(path): \(String(cString: strerror(errno)))")
        }
        shell.process(input, interactive: false)
        shell.resumeAfterIncludedScript()
        // A file that opens but cannot be read (a folder): psql names it without a line.
        if let failure = input.readFailure {
            shell.printShellError("could not read from input file: \(String(cString: strerror(failure)))", location: "curate:\(path): ")
            throw ReportedFailure()
        }
    }
}

struct IncludeRelativeCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "ir", abstract: "Run the commands in a file named relative to the including file.")
    static let synopsis = "FILE"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try IncludeCommand.include(invokedAs: name, arguments: &arguments, shell: shell, relative: true)
    }
}

/// `\set NAME VALUE...`: sets a variable to its words joined without spaces; alone, lists them.
/// The words are read as psql reads them (`'it''s'`, backquotes, `:var`). psql's special
/// variables are checked as psql checks them (`SpecialVariable`): a refused value leaves the
/// variable as it was.
struct SetCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Set a variable (\\set alone lists them).")
    static let synopsis = "[NAME [VALUE]]"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        guard let variable = arguments.next()?.value else {
            shell.console.print(shell.variables.all.map { "\($0.name) = '\($0.value)'" }.joined(separator: "\n"))
            return
        }
        var value = ""
        while let word = arguments.next() { value += word.value }
        guard VariableAssignment.isValidName(variable) else {
            throw SpecialVariable.Refusal(message: "invalid variable name: \"\(variable)\"")
        }
        try shell.assignVariable(variable, value)
    }
}

/// `\unset NAME`: removes a variable; a special variable of psql's takes the value psql gives it
/// then (`\unset AUTOCOMMIT` turns it off, `\unset ECHO` is none).
struct UnsetCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "unset", abstract: "Remove a variable.")
    static let synopsis = "NAME"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        guard let variable = arguments.next()?.value else { throw ShellFailure("\\\(name): missing required argument") }
        // As psql: a name no variable can have is not set, so removing it is no error.
        guard VariableAssignment.isValidName(variable) else { return }
        try shell.assignVariable(variable, nil)
    }
}

/// `\r`: empties the query buffer.
struct ResetCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "r", abstract: "Empty the query buffer.")

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        shell.frames.last?.splitter.clearBuffer()
        if !shell.isQuiet { shell.console.print("Query buffer reset (cleared).") }
    }
}

/// `\errverbose`: the last server error with every field, as an error message (it fails nothing).
struct ErrorVerboseCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "errverbose", abstract: "Show the last error in full (SQLSTATE, context, location).")

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        guard let error = shell.lastError else {
            shell.console.print("There is no previous error.")
            return
        }
        // As psql: libpq's verbose text, on stderr as an error of psql's own.
        shell.console.flush()
        shell.printShellError(error.formatted(verbose: true), location: shell.messagePrefix())
    }
}
