/// What is still open at the end of the buffer, for the continuation prompt.
/// When several things are open (a comment inside parentheses), the innermost one.
public enum OpenConstruct: Equatable, Sendable {
    case none
    /// `'...`, `E'...`, `B'...`, `X'...`, `U&'...`
    case singleQuote
    /// `"...` (a quoted identifier)
    case doubleQuote
    /// `$tag$...`; the tag is empty for `$$`.
    case dollarQuote(tag: String)
    /// `/* ...` (comments nest)
    case blockComment
    /// An unclosed `(`: a `;` does not end the statement yet.
    case parenthesis
}
