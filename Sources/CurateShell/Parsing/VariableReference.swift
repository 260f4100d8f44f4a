/// A psql-style variable reference found in the input: `:name`, `:'name'` or `:"name"`.
public struct VariableReference: Equatable, Sendable {
    /// How the reference asks for the value to be quoted.
    public enum Quoting: Sendable {
        /// `:name`: the value as is.
        case none
        /// `:'name'`: the value as an SQL literal.
        case literal
        /// `:"name"`: the value as an SQL identifier.
        case identifier
        /// `:{?name}`: `TRUE` when the variable is set, else `FALSE`.
        case existence
    }

    /// The variable's name: letters, digits, underscores and non-ASCII characters.
    public var name: String
    public var quoting: Quoting

    public init(name: String, quoting: Quoting) {
        self.name = name
        self.quoting = quoting
    }
}

/// Returns the replacement text (already quoted by the caller for .literal/.identifier),
/// or nil to leave the reference untouched.
public typealias VariableResolver = (VariableReference) -> String?

extension VariableReference {
    /// Recognizes a reference starting at the colon `input[start]`.
    /// Returns nil when the colon does not start one (`::`, `:=`, `:'` without a closing quote, ...).
    static func parse(_ input: UnsafeBufferPointer<UInt8>, at start: Int) -> (reference: VariableReference, end: Int)? {
        let count = input.count
        let next = start + 1
        guard next < count else { return nil }
        let quoting: Quoting
        let nameStart: Int
        switch input[next] {
        case UInt8(ascii: "{"):
            return parseExistence(input, at: start)
        case UInt8(ascii: "'"):
            quoting = .literal
            nameStart = next + 1
        case UInt8(ascii: "\""):
            quoting = .identifier
            nameStart = next + 1
        default:
            quoting = .none
            nameStart = next
        }
        var nameEnd = nameStart
        while nameEnd < count, SQLBytes.isVariableChar(input[nameEnd]) {
            nameEnd += 1
        }
        guard nameEnd > nameStart else { return nil }
        var end = nameEnd
        switch quoting {
        case .none, .existence:
            break
        case .literal, .identifier:
            let closing = quoting == .literal ? UInt8(ascii: "'") : UInt8(ascii: "\"")
            guard end < count, input[end] == closing else { return nil }
            end += 1
        }
        let name = String(decoding: UnsafeBufferPointer(rebasing: input[nameStart..<nameEnd]), as: UTF8.self)
        return (VariableReference(name: name, quoting: quoting), end)
    }

    /// `:{?name}` at `input[start]` (the colon); nil unless complete.
    private static func parseExistence(_ input: UnsafeBufferPointer<UInt8>, at start: Int) -> (reference: VariableReference, end: Int)? {
        let count = input.count
        let nameStart = start + 3
        guard nameStart < count, input[start + 2] == UInt8(ascii: "?") else { return nil }
        var nameEnd = nameStart
        while nameEnd < count, SQLBytes.isVariableChar(input[nameEnd]) { nameEnd += 1 }
        guard nameEnd > nameStart, nameEnd < count, input[nameEnd] == UInt8(ascii: "}") else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: input[nameStart..<nameEnd]), as: UTF8.self)
        return (VariableReference(name: name, quoting: .existence), nameEnd + 1)
    }
}
