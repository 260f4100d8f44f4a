import CCurateSupport
import CurateKit

/// The data of a statement's `COPY ... FROM STDIN` and `COPY ... TO STDOUT`, routed as psql routes
/// it: in from the input the statement came from (the script itself, ended by `\.`; standard
/// input for `-c` and at the terminal, with psql's prompt), out to the result output (`\o`).
final class StatementCopyStreams: CopyDataStreams {
    private let input: FileInput
    private let console: Console
    private let quiet: Bool
    private let prompt: String

    init(input: FileInput, console: Console, quiet: Bool, prompt: String) {
        self.input = input
        self.console = console
        self.quiet = quiet
        self.prompt = prompt
    }

    func readCopyData(binary: Bool, send: (UnsafeRawBufferPointer) -> Bool) -> String? {
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
        console.output.write(data)
    }
}
