import ArgumentParser
import CurateKit
import Foundation

/// `\o FILE`: results go to a file (created 0600) until `\o` alone.
struct OutputCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "o", abstract: "Send results to a file; \\o alone sends them back to the terminal.")

    @Argument(help: "The file (created or truncated).") var file: String?

    func run(shell: Shell) throws {
        guard let file else {
            shell.console.redirect(to: nil)
            return
        }
        shell.console.redirect(to: try Self.open(file))
    }

    /// The file results go to (`\o FILE`, `-o FILE`), created or truncated.
    static func open(_ file: String) throws -> OutputWriter {
        if file.hasPrefix("|") {
            throw CommandError("piping results to a program is not supported", hint: "write to a file, then run the program on it")
        }
        let descriptor = Glibc.open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CommandError("\(file): \(String(cString: strerror(errno)))")
        }
        return OutputWriter(fileDescriptor: descriptor, ownsDescriptor: true)
    }
}

/// `\i FILE`: reads commands from a file, as if typed; it stops at its first error (ON_ERROR_STOP).
struct IncludeCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "i", abstract: "Run the commands in a file.")

    @Argument(help: "The file.") var file: String

    func run(shell: Shell) throws {
        guard shell.frames.count < 64 else {
            throw CommandError("files included more than 64 deep (does \(file) include itself?)")
        }
        guard let input = FileInput(path: file) else {
            throw CommandError("\(file): \(String(cString: strerror(errno)))")
        }
        shell.process(input, interactive: false)
        shell.resumeAfterIncludedScript()
    }
}

/// `\echo TEXT`: prints its arguments on stdout.
struct EchoCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "echo", abstract: "Print text (with :variables interpolated).")

    @Flag(name: .customShort("n"), help: "No newline at the end.") var noNewline = false
    @Argument(parsing: .allUnrecognized, help: "The words to print.") var words: [String] = []

    func run(shell: Shell) throws {
        let text = words.joined(separator: " ")
        shell.console.print(text, newline: !noNewline)
    }
}

/// `\set NAME VALUE...`: sets a variable; alone, lists them. psql's special variables are
/// checked as psql checks them (`SpecialVariable`): a refused value leaves the variable as it was.
struct SetCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Set a variable (\\set alone lists them).")

    @Argument(help: "The variable.") var name: String?
    @Argument(parsing: .allUnrecognized, help: "Its value: the words are joined without spaces, as in psql.") var values: [String] = []

    func run(shell: Shell) throws {
        guard let name else {
            shell.console.print(shell.variables.all.map { "\($0.name) = '\($0.value)'" }.joined(separator: "\n"))
            return
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw SpecialVariable.Refusal(message: "invalid variable name: \"\(name)\"")
        }
        try shell.assignVariable(name, values.joined())
    }
}

/// `\unset NAME`: removes a variable; a special variable of psql's takes the value psql gives it
/// then (`\unset AUTOCOMMIT` turns it off, `\unset ECHO` is none).
struct UnsetCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "unset", abstract: "Remove a variable.")

    @Argument(help: "The variable.") var name: String

    func run(shell: Shell) throws {
        try shell.assignVariable(name, nil)
    }
}

/// `\g`: sends the query buffer, even without a `;`.
struct GoCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "g", abstract: "Send the query buffer to the server.")

    func run(shell: Shell) throws {
        guard let frame = shell.frames.last, let statement = frame.splitter.takeBuffer() else {
            throw CommandError("the query buffer is empty")
        }
        shell.run(statement, in: frame)
    }
}

/// `\r`: empties the query buffer.
struct ResetCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "r", abstract: "Empty the query buffer.")

    func run(shell: Shell) throws {
        shell.frames.last?.splitter.clearBuffer()
        if !shell.isQuiet { shell.console.print("Query buffer reset (cleared).") }
    }
}

/// `\errverbose`: the last server error with every field.
struct ErrorVerboseCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "errverbose", abstract: "Show the last error in full (SQLSTATE, context, location).")

    func run(shell: Shell) throws {
        guard let error = shell.lastError else {
            shell.console.print("There is no previous error.")
            return
        }
        // As psql: libpq's verbose text, on stderr as an error of psql's own.
        shell.console.flush()
        shell.printShellError(error.formatted(verbose: true), location: shell.messagePrefix())
    }
}
