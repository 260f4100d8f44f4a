/// A backslash command as typed, e.g. `\dt+ public.*`.
public struct CommandInvocation: Equatable, Sendable {
    /// The name without the backslash, e.g. "dt+", "?", "echo": it runs to the next whitespace.
    public var name: String
    /// The rest of the line after the name, raw (not yet tokenized), without the whitespace that separates it from the name.
    public var argumentText: String
    public var line: Int

    public init(name: String, argumentText: String, line: Int) {
        self.name = name
        self.argumentText = argumentText
        self.line = line
    }
}
