import CurateKit
import Foundation

/// One of psql's own commands, reading its arguments as psql does: one at a time, each of the
/// kind it needs (`SlashOptionKind`), so quoting, backquotes and variables behave as in psql and a
/// word such as `-n` or `--help` is an argument, not an option. Words it leaves are reported as
/// psql reports them ("extra argument ... ignored").
protocol SlashCommand: BuiltinCommand {
    /// `name`: the name it was typed as (`\i` or `\include`), for messages.
    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws
    /// What it takes, as psql's `\?` writes it (`[TEXT] NAME`), for its help.
    static var synopsis: String { get }
}

extension SlashCommand {
    static var synopsis: String { "" }
    /// Not used: `run(invokedAs:arguments:shell:)` runs instead.
    func run(shell: Shell) throws {}
}

/// A command failed and has already said why (psql's commands that print their error, then
/// carry on to their confirmation).
struct ReportedFailure: Error {}

extension Shell {
    /// Runs a `SlashCommand`, and warns about the words it left.
    func runSlashCommand(_ type: any SlashCommand.Type, _ invocation: CommandInvocation, in frame: InputFrame) {
        var arguments = slashOptionScanner(invocation.argumentText, in: frame, line: invocation.line)
        do {
            try type.run(invokedAs: invocation.name, arguments: &arguments, shell: self)
            console.flush()
        } catch is ReportedFailure {
            console.flush()
            failReported(in: frame)
        } catch {
            console.flush()
            report(error, in: frame, line: invocation.line, statement: nil, command: invocation.name)
        }
        for word in arguments.remaining() {
            reportSlashMessage("\\\(invocation.name): extra argument \"\(word)\" ignored", severity: "warning", in: frame, line: invocation.line)
        }
        // The rest of the line after an unquoted backslash: `\\` and SQL, or another command.
        guard let rest = arguments.remainder, !quitRequested, exitStatusIfStopped == nil else { return }
        let text = rest.hasPrefix("\\\\") ? String(rest.dropFirst(2)) : rest
        for item in frame.splitter.feed(line: text, lineNumber: invocation.line, resolve: resolveVariable) {
            switch item {
            case .statement(let statement): run(statement, in: frame)
            case .command(let command): run(command, in: frame)
            }
            if quitRequested || exitStatusIfStopped != nil { break }
        }
    }

    /// psql's reading of a command's arguments, with this shell's variables and backquoted
    /// commands. `reportsProblems`: print an unterminated quote's error as psql does (false where
    /// the command turns `problem` into its own failure).
    func slashOptionScanner(_ text: String, in frame: InputFrame, line: Int, reportsProblems: Bool = true) -> SlashOptionScanner {
        SlashOptionScanner(
            text, resolve: resolveVariable,
            runBackquoted: { [unowned self] command in self.backquoted(command, in: frame, line: line) },
            report: { [unowned self] message in
                if reportsProblems { self.reportSlashMessage(message, in: frame, line: line) }
            }
        )
    }

    /// A message psql prints and goes on after (it fails nothing): `curate:FILE:LINE: error: ...`
    /// while a file is read, the bare message otherwise (as `printShellError`).
    func reportSlashMessage(_ message: String, severity: String = "error", in frame: InputFrame, line: Int) {
        let location = messagePrefix(in: frame, line: line)
        console.printError(location.isEmpty ? message : location + severity + ": " + message)
    }

    /// `reportSlashMessage` for the command being run (the innermost input, its current line).
    func reportSlashMessage(_ message: String, severity: String = "error") {
        guard let frame = frames.last else { return }
        reportSlashMessage(message, severity: severity, in: frame, line: frame.source.lineNumber)
    }

    /// The output of a backquoted command, without its last newline; psql ignores its exit status.
    func backquoted(_ command: String, in frame: InputFrame, line: Int) -> String {
        console.flush()
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return "" }
        _ = fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC)
        let started = ShellCommandProcess.spawn(command, standardOutput: pipeEnds[1])
        close(pipeEnds[1])
        guard let pid = started else {
            close(pipeEnds[0])
            reportSlashMessage("\(command): \(String(cString: strerror(errno)))", in: frame, line: line)
            return ""
        }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(pipeEnds[0], &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            output.append(contentsOf: chunk[0..<count])
        }
        close(pipeEnds[0])
        _ = ShellCommandProcess.wait(pid)
        if output.last == 0x0A { output.removeLast() }
        return String(decoding: output, as: UTF8.self)
    }
}
