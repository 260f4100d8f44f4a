import ArgumentParser
import CurateKit
import Foundation

/// What `\p` and `\w` act on: the query buffer, or when it is empty the last statement sent.
private func bufferOrLastStatement(_ shell: Shell) -> String? {
    if let frame = shell.frames.last, !frame.splitter.bufferIsEmpty { return frame.splitter.buffer }
    return shell.lastStatement.flatMap { $0.isEmpty ? nil : $0 }
}

/// `\p`: prints the query buffer (or the last statement) on standard output.
struct PrintBufferCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "p", abstract: "Print the query buffer (when empty: the last statement sent).")

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let writer = shell.console.isRedirected ? shell.console.standardOutputWriter : shell.console.output
        if let text = bufferOrLastStatement(shell) {
            writer.write(text + "\n")
        } else if !shell.variables.bool("QUIET", default: false) {
            writer.write("Query buffer is empty.\n")
        }
    }
}

/// `\w FILE` or `\w |COMMAND`: writes the query buffer (or the last statement) to a file or a program.
struct WriteBufferCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "w", abstract: "Write the query buffer (or the last statement) to a file or |program.")
    static let synopsis = "FILE | |COMMAND"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        guard let target = arguments.next(.filePipe, semicolon: true)?.value else {
            throw ShellFailure("\\\(name): missing required argument")
        }
        let text = bufferOrLastStatement(shell).map { $0 + "\n" } ?? ""
        if target.hasPrefix("|") {
            var pipeEnds: [Int32] = [0, 0]
            guard pipe(&pipeEnds) == 0 else { throw ShellFailure("\(target): \(String(cString: strerror(errno)))") }
            _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
            shell.console.flush()
            let started = ShellCommandProcess.spawn(String(target.dropFirst()), standardInput: pipeEnds[0])
            close(pipeEnds[0])
            guard let pid = started else {
                close(pipeEnds[1])
                throw ShellFailure("\(target): \(String(cString: strerror(errno)))")
            }
            let writer = OutputWriter(fileDescriptor: pipeEnds[1], ownsDescriptor: false)
            writer.write(text)
            writer.flush()
            close(pipeEnds[1])
            _ = ShellCommandProcess.wait(pid)
            return
        }
        let path = SlashCopyArguments.expandTilde(target)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw ShellFailure("\(path): \(String(cString: strerror(errno)))") }
        let writer = OutputWriter(fileDescriptor: descriptor, ownsDescriptor: false)
        writer.write(text)
        writer.flush()
        let failure = writer.failure
        close(descriptor)
        if let failure { throw ShellFailure("\(path): \(String(cString: strerror(failure)))") }
    }
}

/// `\s [FILE]`: writes the command history to FILE, or shows it at the terminal. There is a
/// history only at a terminal.
struct HistoryCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "s", abstract: "Write the command history to a file (alone: show it).")
    static let synopsis = "[FILE]"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let file = arguments.next(semicolon: true).map { SlashCopyArguments.expandTilde($0.value) }
        defer { if file == nil { shell.console.print("") } }
        // psql fails here without a word; curate says why.
        guard let editor = shell.lineEditor else { throw ShellFailure("\\\(name): there is no command history: input is not read from a terminal") }
        shell.console.flush()
        guard editor.saveHistory(to: file ?? "/dev/tty") else {
            throw ShellFailure("could not save history to file \"\(file ?? "/dev/tty")\": \(String(cString: strerror(errno)))")
        }
        if let file, !shell.variables.bool("QUIET", default: false) {
            shell.console.print("Wrote history to file \"\(file)\".")
        }
    }
}
