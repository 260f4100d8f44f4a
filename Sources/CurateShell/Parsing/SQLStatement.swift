/// One SQL statement as it will be sent: the lines it spans joined by `\n`, including its final `;` if it had one.
public struct SQLStatement: Equatable, Sendable {
    public var text: String
    /// The input line its text starts on (leading blank lines and `--` comments are not part of it).
    public var firstLine: Int

    public init(text: String, firstLine: Int) {
        self.text = text
        self.firstLine = firstLine
    }
}
