import Foundation

/// How psql reads one argument of a backslash command (the option types of psql's slash-command
/// lexer): each command asks for its arguments one at a time, each of the kind it needs.
public enum SlashOptionKind: Sendable {
    /// A word: whitespace separates; `'...'` is taken with psql's escapes (`\n`, `\t`, `\b`, `\r`,
    /// `\f`, octal `\digits`, `\xHH`, `''`); `"..."` is kept with its quotes; `` `...` `` is replaced
    /// by a program's output; `:var`, `:'var'`, `:"var"` and `:{?var}` are interpolated.
    case normal
    /// `\o`, `\w`: as `.normal`, except that an argument starting with `|` is the rest of the line.
    case filePipe
    /// `\!`: the rest of the line as written, trailing whitespace removed.
    case wholeLine
    /// The words left over after a command, or a command passed over in a branch not taken:
    /// quotes are read, but no program is run (a backquoted command is kept without its
    /// backquotes) and no variable interpolated (a reference stays as written).
    case noEvaluation
}

/// One argument read by `SlashOptionScanner`.
public struct SlashOption: Equatable, Sendable {
    public var value: String
    /// The first quote that began a quoted part (`'`, `"` or `` ` ``), nil when it had none:
    /// `\echo -n` is the option, `\echo '-n'` prints `-n`.
    public var quote: Character?

    public init(value: String, quote: Character? = nil) {
        self.value = value
        self.quote = quote
    }
}

/// Reads a backslash command's arguments as psql does.
public struct SlashOptionScanner {
    private let bytes: [UInt8]
    private var position = 0
    private let resolve: VariableResolver
    /// Runs a backquoted command and gives its output (one final newline removed).
    private let runBackquoted: (String) -> String
    /// Reports a problem that psql reports and reads on after (a bad `:'var'` for a shell).
    private let report: (String) -> Void
    /// The problem that ended the arguments (an unterminated quote), once one has.
    public private(set) var problem: String?

    public init(
        _ text: String, resolve: @escaping VariableResolver, runBackquoted: @escaping (String) -> String,
        report: @escaping (String) -> Void
    ) {
        bytes = Array(text.utf8)
        self.resolve = resolve
        self.runBackquoted = runBackquoted
        self.report = report
    }

    /// A scanner that only finds where arguments end: nothing is run or interpolated.
    public init(unevaluated text: String) {
        self.init(text, resolve: { _ in nil }, runBackquoted: { _ in "" }, report: { _ in })
    }

    /// The next argument, nil when there is none. `semicolon`: trailing unquoted `;` are dropped
    /// (`\t on;`). An unterminated quote is reported, and the rest of the line is then lost, as in psql.
    public mutating func next(_ kind: SlashOptionKind = .normal, semicolon: Bool = false) -> SlashOption? {
        do {
            return try scan(kind, semicolon: semicolon)
        } catch {
            position = bytes.count
            if kind != .noEvaluation {
                problem = error.message
                report(error.message)
            }
            return nil
        }
    }

    /// What follows the command's arguments on its line: an unquoted backslash ends them, as in
    /// psql (`\\` then SQL for the query buffer, or another command). Nil when nothing follows.
    public var remainder: String? {
        var index = position
        while index < bytes.count, SQLBytes.isSpace(bytes[index]) { index += 1 }
        guard index < bytes.count, bytes[index] == Self.backslash else { return nil }
        return String(decoding: bytes[index...], as: UTF8.self)
    }

    /// The next command on the line once the arguments are read: `remainder`, without psql's
    /// `\\` separator (which leads back to SQL); nil when nothing follows.
    public var nextCommand: String? {
        guard let rest = remainder else { return nil }
        let text = rest.hasPrefix("\\\\") ? String(rest.dropFirst(2)) : rest
        return text.isEmpty ? nil : text
    }

    /// True when the next argument starts with `|`: a pipe to a command, which runs to the end
    /// of the line (`\g |cmd`, `\o |cmd`, `\w |cmd`).
    public var nextIsPipe: Bool {
        var index = position
        while index < bytes.count, SQLBytes.isSpace(bytes[index]) { index += 1 }
        return index < bytes.count && bytes[index] == UInt8(ascii: "|")
    }

    /// A command's argument text cut where psql's arguments end: at the first backslash outside
    /// quotes, which starts the next command on the line (`rest`, as `nextCommand`).
    public static func splitAtNextCommand(_ text: String) -> (arguments: String, rest: String?) {
        var scanner = SlashOptionScanner(unevaluated: text)
        _ = scanner.remaining()
        return (String(decoding: scanner.bytes[..<scanner.position], as: UTF8.self), scanner.nextCommand)
    }

    private static let backslash = UInt8(ascii: "\\")

    private mutating func scan(_ kind: SlashOptionKind, semicolon: Bool) throws(SlashOptionError) -> SlashOption? {
        skipWhitespace()
        guard position < bytes.count else { return nil }
        if kind != .wholeLine && bytes[position] == Self.backslash { return nil }
        switch kind {
        case .wholeLine:
            var end = bytes.count
            while end > position, SQLBytes.isSpace(bytes[end - 1]) { end -= 1 }
            let value = String(decoding: bytes[position..<end], as: UTF8.self)
            position = bytes.count
            return SlashOption(value: value)
        case .filePipe where bytes[position] == UInt8(ascii: "|"):
            return try scan(.wholeLine, semicolon: false)
        default:
            return try word(evaluate: kind != .noEvaluation, semicolon: semicolon)
        }
    }

    /// Every argument left, read without evaluation (for psql's "extra argument ignored").
    public mutating func remaining() -> [String] {
        var words: [String] = []
        while let option = next(.noEvaluation) { words.append(option.value) }
        return words
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, SQLBytes.isSpace(bytes[position]) { position += 1 }
    }

    private mutating func word(evaluate: Bool, semicolon: Bool) throws(SlashOptionError) -> SlashOption {
        var value: [UInt8] = []
        var quote: Character?
        // Unquoted bytes at the end of `value`, the only ones a trailing `;` may be dropped from.
        var unquotedTail = 0
        while position < bytes.count, !SQLBytes.isSpace(bytes[position]), bytes[position] != Self.backslash {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "'"):
                quote = quote ?? "'"
                try singleQuoted(into: &value)
                unquotedTail = 0
            case UInt8(ascii: "\""):
                quote = quote ?? "\""
                let start = position
                position += 1
                while position < bytes.count, bytes[position] != UInt8(ascii: "\"") { position += 1 }
                guard position < bytes.count else { throw unterminated() }
                position += 1
                value.append(contentsOf: bytes[start..<position])
                unquotedTail = 0
            case UInt8(ascii: "`"):
                quote = quote ?? "`"
                let start = position
                position += 1
                var command: [UInt8] = []
                while position < bytes.count, bytes[position] != UInt8(ascii: "`") {
                    if evaluate, bytes[position] == UInt8(ascii: ":"), let found = shellVariable() {
                        command.append(contentsOf: found.utf8)
                    } else {
                        command.append(bytes[position])
                        position += 1
                    }
                }
                guard position < bytes.count else { throw unterminated() }
                position += 1
                if evaluate {
                    value.append(contentsOf: runBackquoted(String(decoding: command, as: UTF8.self)).utf8)
                } else {
                    value.append(contentsOf: bytes[(start + 1)..<(position - 1)])
                }
                unquotedTail = 0
            case UInt8(ascii: ":"):
                if let interpolated = variable(evaluate: evaluate) {
                    value.append(contentsOf: interpolated.utf8)
                    unquotedTail = 0
                } else {
                    value.append(byte)
                    position += 1
                    unquotedTail += 1
                }
            default:
                value.append(byte)
                position += 1
                unquotedTail += 1
            }
        }
        if semicolon {
            while unquotedTail > 0, value.last == UInt8(ascii: ";") {
                value.removeLast()
                unquotedTail -= 1
            }
        }
        return SlashOption(value: String(decoding: value, as: UTF8.self), quote: quote)
    }

    private func unterminated() -> SlashOptionError { SlashOptionError(message: "unterminated quoted string") }

    /// `'...'` at `position`, with psql's escapes.
    private mutating func singleQuoted(into value: inout [UInt8]) throws(SlashOptionError) {
        position += 1
        while true {
            guard position < bytes.count else { throw unterminated() }
            let byte = bytes[position]
            if byte == UInt8(ascii: "'") {
                if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "'") {
                    value.append(byte)
                    position += 2
                    continue
                }
                position += 1
                return
            }
            guard byte == UInt8(ascii: "\\"), position + 1 < bytes.count else {
                value.append(byte)
                position += 1
                continue
            }
            let escaped = bytes[position + 1]
            position += 2
            switch escaped {
            case UInt8(ascii: "n"): value.append(0x0A)
            case UInt8(ascii: "t"): value.append(0x09)
            case UInt8(ascii: "b"): value.append(0x08)
            case UInt8(ascii: "r"): value.append(0x0D)
            case UInt8(ascii: "f"): value.append(0x0C)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var code = Int(escaped - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[position]) {
                    code = code * 8 + Int(bytes[position] - UInt8(ascii: "0"))
                    position += 1
                    digits += 1
                }
                value.append(UInt8(truncatingIfNeeded: code))
            case UInt8(ascii: "x") where position < bytes.count && Self.hexValue(bytes[position]) != nil:
                var code = Self.hexValue(bytes[position])!
                position += 1
                if position < bytes.count, let low = Self.hexValue(bytes[position]) {
                    code = code * 16 + low
                    position += 1
                }
                value.append(UInt8(code))
            default:
                value.append(escaped)
            }
        }
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }

    /// `:var`, `:'var'`, `:"var"` or `:{?var}` at `position`, consumed: its value, or the
    /// reference as written when the variable is not set or `evaluate` is false. Nil when it is
    /// none of them.
    private mutating func variable(evaluate: Bool) -> String? {
        if evaluate, let test = variableTest() { return test }
        let found = bytes.withUnsafeBufferPointer { VariableReference.parse($0, at: position) }
        guard let found else { return nil }
        let written = String(decoding: bytes[position..<found.end], as: UTF8.self)
        position = found.end
        guard evaluate else { return written }
        return resolve(found.reference) ?? written
    }

    /// `:{?name}`: TRUE when the variable is set, FALSE when not.
    private mutating func variableTest() -> String? {
        guard position + 3 < bytes.count, bytes[position + 1] == UInt8(ascii: "{"), bytes[position + 2] == UInt8(ascii: "?") else { return nil }
        var end = position + 3
        while end < bytes.count, SQLBytes.isVariableChar(bytes[end]) { end += 1 }
        guard end > position + 3, end < bytes.count, bytes[end] == UInt8(ascii: "}") else { return nil }
        let name = String(decoding: bytes[(position + 3)..<end], as: UTF8.self)
        position = end + 1
        return resolve(VariableReference(name: name, quoting: .none)) == nil ? "FALSE" : "TRUE"
    }

    /// Inside backquotes: `:var` as is, `:'var'` quoted for the shell; `:"var"` is not interpolated.
    private mutating func shellVariable() -> String? {
        let found = bytes.withUnsafeBufferPointer { VariableReference.parse($0, at: position) }
        guard let found, found.reference.quoting != .identifier,
              let value = resolve(VariableReference(name: found.reference.name, quoting: .none)) else { return nil }
        if found.reference.quoting == .literal {
            guard !value.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
                report("shell command argument contains a newline or carriage return: \"\(value)\"")
                return nil
            }
            position = found.end
            return Self.shellQuoted(value)
        }
        position = found.end
        return value
    }

    /// A value as one shell word: as is when it has only safe characters, else in '...'.
    static func shellQuoted(_ value: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:".utf8)
        if !value.isEmpty, value.utf8.allSatisfy(safe.contains) { return value }
        return "'" + value.replacingOccurrences(of: "'", with: "'\"'\"'") + "'"
    }
}

/// A backslash command's arguments could not be read (psql's wording).
public struct SlashOptionError: Error, Sendable {
    public let message: String
}
