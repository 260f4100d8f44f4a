import ArgumentParser
import CCurateSupport
import CurateKit
import Foundation

/// `\watch SECONDS`: runs the last statement again every SECONDS until Ctrl-C.
struct WatchCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "watch", abstract: "Run the last statement again every few seconds, until Ctrl-C.")

    @Argument(help: "Seconds between runs.") var seconds: Double = 2

    func run(shell: Shell) throws {
        guard seconds > 0 else { throw CommandError("the interval must be more than 0 seconds") }
        guard let statement = shell.lastStatement, let frame = shell.frames.last else {
            throw CommandError("there is no statement to watch yet", hint: "run a statement first, then \\watch")
        }
        _ = curate_take_interrupt()
        // Endless output is not for a pager (psql's \watch does not page either).
        shell.console.output.endHolding()
        while true {
            shell.console.print("\(Self.timestamp()) (every \(StatementTiming.fixed(seconds, digits: 1))s)\n")
            shell.run(SQLStatement(text: statement, firstLine: frame.source.lineNumber), in: frame)
            shell.console.flush()
            if shell.hadStatementError || curate_sleep_interruptible(Int32(seconds * 1000)) != 0 { break }
        }
        _ = curate_take_interrupt()
    }

    static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "EEE MMM d HH:mm:ss yyyy"
        return formatter.string(from: Date())
    }
}

/// `\e`: edits the query buffer (or the last statement) in `$EDITOR`; what is saved runs as if typed.
struct EditCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "e", abstract: "Edit the query buffer (or the last statement) in $EDITOR, then run it.")

    func run(shell: Shell) throws {
        guard let frame = shell.frames.last else { return }
        let pending = frame.splitter.buffer
        let text = pending.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? (shell.lastStatement ?? "") : pending
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("curate-edit-\(getpid())-\(UUID().uuidString).sql")
        guard FileManager.default.createFile(atPath: file.path, contents: Data((text.hasSuffix("\n") || text.isEmpty ? text : text + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CommandError("could not create a temporary file for the editor")
        }
        defer { try? FileManager.default.removeItem(at: file) }
        let editor = ProcessInfo.processInfo.environment["EDITOR"] ?? ProcessInfo.processInfo.environment["VISUAL"] ?? "vi"
        let status = try Self.runEditor(editor, file: file.path)
        guard status == 0 else { throw CommandError("the editor exited with status \(status); nothing was run") }
        let edited = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        frame.splitter.clearBuffer()
        shell.console.print(edited, newline: !edited.hasSuffix("\n"))
        shell.console.flush()
        for line in edited.split(separator: "\n", omittingEmptySubsequences: false) {
            for item in frame.splitter.feed(line: String(line), lineNumber: frame.source.lineNumber, resolve: shell.resolveVariable) {
                shell.execute(item, in: frame)
            }
        }
    }

    /// Runs `editor FILE` on the terminal and waits for it.
    static func runEditor(_ editor: String, file: String) throws -> Int32 {
        guard let pid = ShellCommandProcess.spawn("\(editor) \"$1\"", arguments: [file]) else {
            throw CommandError("could not start the editor \(editor)")
        }
        return ShellCommandProcess.wait(pid)
    }
}
