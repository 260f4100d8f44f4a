import CurateKit
import Foundation

/// Results longer or wider than the terminal go through `$PAGER` (default `less -SRXF`), as in
/// psql: output is held until it overflows the screen, and only then is the pager started, so
/// short results print directly. Never in scripts or when output is redirected.
final class Pager {
    enum Mode: String, CaseIterable {
        case off, on, always
    }

    var mode: Mode = .on
    private var process: pid_t = 0
    private var pipeWrite: Int32 = -1

    static var command: String {
        let value = ProcessInfo.processInfo.environment["PAGER"] ?? ""
        return value.trimmingCharacters(in: .whitespaces).isEmpty ? "less -SRXF" : value
    }

    /// Before a statement's output: hold it for the pager when it may be needed.
    /// `minLines`: `\pset pager_min_lines`, psql's least number of lines worth a pager.
    func begin(console: Console, interactive: Bool, minLines: Int = 0) {
        guard interactive, mode != .off, console.outputIsTerminal, let size = TerminalSize.of(1) else { return }
        let rows = mode == .always ? 0 : max(max(size.rows, minLines) - 1, 1)
        let columns = mode == .always ? 0 : size.columns
        console.output.holdForScreen(rows: rows, columns: columns) { [weak self] in
            self?.start()
        }
    }

    /// After the statement: what was held is printed; a started pager is waited for.
    func end(console: Console) {
        console.output.endHolding()
        guard process > 0 else { return }
        close(pipeWrite)
        _ = ShellCommandProcess.wait(process)
        process = 0
        pipeWrite = -1
    }

    /// A message is about to go to stderr: what is held (less than a screen) is printed first, and
    /// the rest of the result prints directly. A pager already running is left alone; the message
    /// shows over it, as with psql.
    func showHeld(console: Console) {
        guard process == 0 else { return }
        console.output.endHolding()
    }

    /// Starts the pager with a pipe on its stdin; nil (print directly) when it cannot start.
    private func start() -> Int32? {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { return nil }
        _ = fcntl(descriptors[1], F_SETFD, FD_CLOEXEC)
        let pid = ShellCommandProcess.spawn(Self.command, standardInput: descriptors[0])
        close(descriptors[0])
        guard let pid else {
            close(descriptors[1])
            return nil
        }
        process = pid
        pipeWrite = descriptors[1]
        return pipeWrite
    }
}
