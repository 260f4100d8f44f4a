#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The shell's output streams: results to `output` (stdout or the `\o` file), messages to stderr.
///
/// Anything written to stderr first flushes stdout, so a transcript of both reads in true order.
public final class Console {
    // `@exclusivity(unchecked)` here and below: read and written for every statement, on the
    // shell's one thread; the runtime's check of each access cost more than the access (decisions.md).
    /// Where results go: stdout, or the file named by `\o`.
    public private(set) var output: OutputWriter {
        get { currentOutput }
        set { currentOutput = newValue }
    }
    // Through `output`, so that the shell's access for every statement stays in this module and
    // unchecked (a stored property used from another module is checked).
    @exclusivity(unchecked) private var currentOutput: OutputWriter
    private let standardOutput: OutputWriter
    private let standardError: OutputWriter
    /// True when stderr is a terminal (progress and spinners are drawn only then).
    public let errorIsTerminal: Bool
    /// True when results go to a terminal (not redirected, no `\o` file).
    public var outputIsTerminal: Bool { output === standardOutput && standardOutputIsTerminal }
    private let standardOutputIsTerminal: Bool

    package init(outputDescriptor: Int32 = 1, errorDescriptor: Int32 = 2) {
        standardOutput = OutputWriter(fileDescriptor: outputDescriptor)
        standardError = OutputWriter(fileDescriptor: errorDescriptor, capacity: 4096)
        currentOutput = standardOutput
        errorIsTerminal = isatty(errorDescriptor) != 0
        standardOutputIsTerminal = isatty(outputDescriptor) != 0
    }

    /// Prints a line of text to the result output.
    public func print(_ text: String, newline: Bool = true) {
        output.write(text)
        if newline { output.write(UInt8(ascii: "\n")) }
    }

    /// Prints a line on stdout even while results go to an `\o` file (psql's echo of input lines
    /// and queries, `ECHO`), and makes it visible at once.
    package func printToStandardOutput(_ text: String) {
        if output !== standardOutput { output.flush() }
        standardOutput.write(text)
        standardOutput.write(UInt8(ascii: "\n"))
        standardOutput.flush()
    }

    /// Called before a question is asked (the shell closes a pager here, so the question is seen).
    package var beforeQuestion: (() -> Void)?
    /// Called before a message on stderr (the shell prints output it was holding back for the
    /// pager decision, so a message never appears above the result it follows).
    package var beforeMessage: (() -> Void)?

    /// Makes everything printed so far visible before the user is asked something.
    package func prepareForQuestion() {
        beforeQuestion?()
        output.flush()
    }

    /// Prints a message on stderr, after flushing what results are pending.
    public func printError(_ text: String, newline: Bool = true) {
        beforeMessage?()
        output.flush()
        if output !== standardOutput { standardOutput.flush() }
        standardError.write(text)
        if newline { standardError.write(UInt8(ascii: "\n")) }
        standardError.flush()
    }

    /// Writes text to standard output itself, whatever `\o` redirects results to, and shows it at
    /// once (psql's COPY prompts at the terminal).
    package func writeStandardOutput(_ text: String) {
        prepareForQuestion()
        standardOutput.write(text)
        standardOutput.flush()
    }

    /// Writes raw text on stderr without a newline and without flushing results (progress redraws).
    package func writeErrorRaw(_ text: String) {
        standardError.write(text)
        standardError.flush()
    }

    /// Writes out the results buffered so far (they are otherwise written in large blocks).
    public func flush() {
        output.flush()
        standardOutput.flush()
    }

    /// Sends results to a file (`\o FILE`), or back to stdout with nil.
    package func redirect(to writer: OutputWriter?) {
        output.flush()
        output = writer ?? standardOutput
    }

    package var isRedirected: Bool { output !== standardOutput }

    /// Standard output itself, wherever `\o` sends results (`\copy ... to pstdout`).
    package var standardOutputWriter: OutputWriter { standardOutput }
}
