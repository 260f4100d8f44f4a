/// Input the splitter or the argument tokenizer cannot accept, such as a quote still open at the end.
public struct SplitterError: Error, Equatable, Sendable {
    public var message: String
    /// The line the problem is on; for something left open, the line where it was opened.
    public var line: Int

    public init(message: String, line: Int) {
        self.message = message
        self.line = line
    }
}
