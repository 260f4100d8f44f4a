import ArgumentParser
import CurateKit
import Foundation

/// `\cd [DIR]`: changes the working folder (the home folder by default).
struct ChangeDirectoryCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "cd", abstract: "Change the working folder (alone: the home folder).")
    static let synopsis = "[DIR]"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        var folder = arguments.next(semicolon: true)?.value
        if folder == nil {
            folder = ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
            if folder == nil, let entry = getpwuid(geteuid()) { folder = String(cString: entry.pointee.pw_dir) }
        }
        guard let folder else { throw ShellFailure("could not get home directory for user ID \(geteuid())") }
        guard chdir(folder) == 0 else {
            throw ShellFailure("\\\(name): could not change directory to \"\(folder)\": \(String(cString: strerror(errno)))")
        }
    }
}

/// `\! [COMMAND]`: runs the rest of the line through /bin/sh (alone: an interactive `$SHELL`),
/// on curate's own terminal and standard streams.
struct ShellEscapeCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "!", abstract: "Run a shell command (alone: start a shell).")
    static let synopsis = "[COMMAND]"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let line = arguments.next(.wholeLine)?.value
        let command = line ?? "exec " + (ProcessInfo.processInfo.environment["SHELL"] ?? "/bin/sh")
        shell.console.flush()
        guard let pid = ShellCommandProcess.spawn(command) else { throw ShellFailure("\\!: failed") }
        _ = ShellCommandProcess.wait(pid)
    }
}

/// `\getenv VARIABLE ENVIRONMENT_VARIABLE`: copies an environment variable into a variable
/// (nothing happens when it is not set).
struct GetEnvironmentCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "getenv", abstract: "Set a variable to the value of an environment variable.")
    static let synopsis = "PSQLVAR ENVVAR"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        guard let variable = arguments.next()?.value, let environmentName = arguments.next()?.value else {
            throw ShellFailure("\\\(name): missing required argument")
        }
        guard let value = getenv(environmentName).map({ String(cString: $0) }) else { return }
        try CommandVariableAssignment.assign(value, to: variable, shell: shell)
    }
}

/// `\setenv NAME [VALUE]`: sets an environment variable for the programs curate starts (alone: removes it).
struct SetEnvironmentCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "setenv", abstract: "Set an environment variable (without a value: unset it).")
    static let synopsis = "NAME [VALUE]"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        guard let variable = arguments.next()?.value else { throw ShellFailure("\\\(name): missing required argument") }
        guard !variable.contains("=") else {
            throw ShellFailure("\\\(name): environment variable name must not contain \"=\"")
        }
        if let value = arguments.next()?.value {
            setenv(variable, value, 1)
        } else {
            unsetenv(variable)
        }
    }
}

/// `\prompt [TEXT] NAME`: asks for a variable's value. As psql: at the terminal (/dev/tty) when
/// there is one, else on stderr and standard input; in a script file (`-f`, `\i`), TEXT goes to
/// stdout and the value is read from standard input.
struct PromptCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "prompt", abstract: "Ask for the value of a variable.")
    static let synopsis = "[TEXT] NAME"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        guard let first = arguments.next()?.value else { throw ShellFailure("\\\(name): missing required argument") }
        let second = arguments.next()?.value
        let (text, variable) = second.map { (first, $0) } ?? ("", first)
        let readingScriptFile = shell.frames.last.map { $0.source !== shell.standardInput && $0.source is FileInput } ?? false
        let value: String
        if readingScriptFile {
            shell.console.print(text, newline: false)
            shell.console.flush()
            guard case .line(let line) = shell.standardInput.nextLine(prompt: "") else {
                throw ShellFailure("\\\(name): could not read value for variable")
            }
            value = line
        } else {
            value = Self.askAtTerminal(text, shell: shell)
        }
        try CommandVariableAssignment.assign(value, to: variable, shell: shell)
    }

    /// psql's simple_prompt: /dev/tty when it can be opened, else stderr and standard input; an
    /// empty value at the end of the input.
    private static func askAtTerminal(_ text: String, shell: Shell) -> String {
        shell.console.prepareForQuestion()
        let terminal = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard terminal >= 0 else {
            shell.console.writeErrorRaw(text)
            if case .line(let line) = shell.standardInput.nextLine(prompt: "") { return line }
            return ""
        }
        defer { close(terminal) }
        _ = text.withCString { write(terminal, $0, strlen($0)) }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(terminal, &byte, 1) == 1, byte != 0x0A { line.append(byte) }
        return String(decoding: line, as: UTF8.self)
    }
}

/// Setting a variable from a command other than `\set` (`\getenv`, `\prompt`), with `\set`'s checks.
enum CommandVariableAssignment {
    static func assign(_ value: String, to name: String, shell: Shell) throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw ShellFailure("invalid variable name: \"\(name)\"")
        }
        try shell.assignVariable(name, value)
    }
}
