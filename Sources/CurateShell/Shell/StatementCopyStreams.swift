import CCurateSupport
import CurateKit
import Foundation

/// The data of a statement's `COPY ... FROM STDIN` and `COPY ... TO STDOUT`, routed as psql routes
/// it: in from the input the statement came from (the script itself, ended by `\.`; standard
/// input for `-c` and at the terminal, with psql's prompt), out to the result output (`\o`).
final class StatementCopyStreams: CopyDataStreams {
    private let input: FileInput?
    private let output: OutputWriter
    private let console: Console
    private let quiet: Bool
    private let prompt: String
    let showsCopyOutStatus: Bool

    /// `input`: where COPY FROM STDIN reads (nil: it fails); `output`: where COPY TO STDOUT writes;
    /// `showsCopyOutStatus`: its status line is printed (psql leaves it out where the data went).
    init(input: FileInput?, output: OutputWriter, showsCopyOutStatus: Bool, console: Console, quiet: Bool, prompt: String) {
        self.input = input
        self.output = output
        self.showsCopyOutStatus = showsCopyOutStatus
        self.console = console
        self.quiet = quiet
        self.prompt = prompt
    }

    func readCopyData(binary: Bool, send: (UnsafeRawBufferPointer) -> Bool) -> String? {
        guard let input else { return "this COPY has no data to read here: \\copy ... to writes, it does not read" }
        var beforeLine: (() -> Void)? = nil
        if input.isTerminal {
            if !quiet {
                console.writeStandardOutput("Enter data to be copied followed by a newline.\nEnd with a backslash and a period on a line by itself, or an EOF signal.\n")
            }
            beforeLine = { [console, prompt] in console.writeStandardOutput(prompt) }
        }
        _ = curate_take_interrupt()
        switch input.readCopyData(binary: binary, beforeLine: beforeLine, send: send) {
        case .complete, .sendFailed:
            // A refused block: the server's own error (read next) says why.
            return nil
        case .interrupted:
            return "canceled by user"
        case .readFailed:
            return "aborted because of read failure"
        }
    }

    func writeCopyData(_ data: UnsafeRawBufferPointer) {
        output.write(data)
        if output.failure != nil { reportWriteFailure() }
    }

    func finishCopyOut() {
        output.flush()
        if output.failure != nil { reportWriteFailure() }
    }

    /// Called once when the data cannot be written (a program that ended, a full disk): the rest
    /// is still read from the server, as psql does, so the session stays usable.
    var onWriteFailure: ((String) -> Void)?
    private var writeFailureReported = false

    private func reportWriteFailure() {
        guard !writeFailureReported, let failure = output.failure else { return }
        writeFailureReported = true
        onWriteFailure?("could not write COPY data: " + String(cString: strerror(failure)))
    }
}
