/// Reads a backslash command's arguments one at a time the way psql's slash-option lexer does
/// (`psqlscanslash.l`, "normal" options): whitespace separates; `'...'` is literal with `''` and
/// backslash escapes (`\n`, `\t`, `\b`, `\r`, `\f`, octal `\123`, hex `\x41`); `"..."` is kept
/// with its quotes; `:name`, `:'name'`, `:"name"` and `:{?name}` are interpolated when evaluating;
/// an unquoted backslash ends the arguments: it starts the next command on the same line.
///
/// Used where psql's reading of arguments decides what happens next: `\if` and `\elif`
/// expressions, and the commands passed over in a branch that is not taken (psql consumes their
/// arguments without interpolating anything, and goes on with a command after them).
struct SlashArgumentReader {
    private let bytes: [UInt8]
    private var index = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// What the reading stopped at, when it was not the end of the line.
    enum Problem: Error, Equatable {
        case unterminatedQuote
        /// A `` `command` `` to be run, and no way to run it was given.
        case backquote
    }

    /// Runs a `` `command` `` and gives its output (psql: without one final newline).
    typealias CommandRunner = (String) -> String

    /// The next argument; nil when none is left (end of the line, or a backslash that starts the
    /// next command). `evaluate`: interpolate variables (false in a branch not taken).
    /// `runCommand`: how `` `command` `` is run when evaluating (nil: it is an error).
    mutating func next(evaluate: Bool, resolve: VariableResolver, runCommand: CommandRunner? = nil) throws(Problem) -> String? {
        while index < bytes.count, SQLBytes.isSpace(bytes[index]) { index += 1 }
        guard index < bytes.count, bytes[index] != UInt8(ascii: "\\") else { return nil }
        var word: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if SQLBytes.isSpace(byte) || byte == UInt8(ascii: "\\") { break }
            switch byte {
            case UInt8(ascii: "'"):
                try readSingleQuoted(into: &word)
            case UInt8(ascii: "\""):
                try readDoubleQuoted(into: &word)
            case UInt8(ascii: "`"):
                guard let end = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "`")) else {
                    index = bytes.count
                    throw .unterminatedQuote
                }
                let command = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
                index = end + 1
                if evaluate {
                    guard let runCommand else { throw .backquote }
                    word.append(contentsOf: runCommand(command).utf8)
                } else {
                    // Not evaluated: psql keeps the command's text without the backquotes.
                    word.append(contentsOf: command.utf8)
                }
            case UInt8(ascii: ":"):
                readVariable(into: &word, evaluate: evaluate, resolve: resolve)
            default:
                word.append(byte)
                index += 1
            }
        }
        return String(decoding: word, as: UTF8.self)
    }

    /// Every argument left, until the end of the line or the next command.
    mutating func remaining(evaluate: Bool, resolve: VariableResolver, runCommand: CommandRunner? = nil) throws(Problem) -> [String] {
        var words: [String] = []
        while let word = try next(evaluate: evaluate, resolve: resolve, runCommand: runCommand) { words.append(word) }
        return words
    }

    /// The text after the arguments read so far: the next command on the line (psql's `\\`
    /// separator, which ends a command's arguments and leads to SQL, is dropped), or nil at the
    /// end of the line.
    mutating func restOfLine() -> String? {
        while index < bytes.count, SQLBytes.isSpace(bytes[index]) { index += 1 }
        guard index < bytes.count else { return nil }
        var start = index
        if bytes.count - start >= 2, bytes[start] == UInt8(ascii: "\\"), bytes[start + 1] == UInt8(ascii: "\\") {
            start += 2
        }
        index = bytes.count
        let rest = bytes[start...]
        return rest.isEmpty ? nil : String(decoding: rest, as: UTF8.self)
    }

    /// A command's argument text cut where psql's arguments end: at the first backslash outside
    /// quotes, which starts the next command on the line (nil when none does).
    static func splitAtNextCommand(_ text: String) -> (arguments: String, rest: String?) {
        var scanner = SlashArgumentReader(text)
        _ = try? scanner.remaining(evaluate: false, resolve: { _ in nil })
        let arguments = String(decoding: scanner.bytes[..<scanner.index], as: UTF8.self)
        return (arguments, scanner.restOfLine())
    }

    /// Takes the whole rest of the line (psql's whole-line commands, `\!`, `\copy`, `\h`, ...).
    mutating func skipLine() {
        index = bytes.count
    }

    /// True when the next argument starts with `|`: a pipe to a command, which runs to the end
    /// of the line (`\g |cmd`, `\o |cmd`, `\w |cmd`).
    var nextIsPipe: Bool {
        var probe = index
        while probe < bytes.count, SQLBytes.isSpace(bytes[probe]) { probe += 1 }
        return probe < bytes.count && bytes[probe] == UInt8(ascii: "|")
    }

    // MARK: Pieces of an argument

    private mutating func readSingleQuoted(into word: inout [UInt8]) throws(Problem) {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "'") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "'") {
                    word.append(byte)
                    index += 2
                    continue
                }
                index += 1
                return
            }
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                index += 1
                word.append(readEscape())
                continue
            }
            word.append(byte)
            index += 1
        }
        throw .unterminatedQuote
    }

    /// The byte an escape inside `'...'` stands for; `index` is just after the backslash.
    private mutating func readEscape() -> UInt8 {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "n"): index += 1; return 0x0A
        case UInt8(ascii: "t"): index += 1; return 0x09
        case UInt8(ascii: "b"): index += 1; return 0x08
        case UInt8(ascii: "r"): index += 1; return 0x0D
        case UInt8(ascii: "f"): index += 1; return 0x0C
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            var value = 0
            var digits = 0
            while digits < 3, index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[index]) {
                value = value * 8 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
                digits += 1
            }
            return UInt8(truncatingIfNeeded: value)
        case UInt8(ascii: "x") where index + 1 < bytes.count && Self.hexValue(bytes[index + 1]) != nil:
            index += 1
            var value = 0
            var digits = 0
            while digits < 2, index < bytes.count, let digit = Self.hexValue(bytes[index]) {
                value = value * 16 + digit
                index += 1
                digits += 1
            }
            return UInt8(value)
        default:
            index += 1
            return byte
        }
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }

    /// `"..."` stays as written, quotes included (psql's normal options keep them).
    private mutating func readDoubleQuoted(into word: inout [UInt8]) throws(Problem) {
        word.append(bytes[index])
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            word.append(byte)
            index += 1
            if byte == UInt8(ascii: "\"") { return }
        }
        throw .unterminatedQuote
    }

    private mutating func readVariable(into word: inout [UInt8], evaluate: Bool, resolve: VariableResolver) {
        let found: (reference: VariableReference, end: Int)? = bytes.withUnsafeBufferPointer { buffer in
            VariableReference.parse(buffer, at: index)
        }
        guard let found else {
            word.append(bytes[index])
            index += 1
            return
        }
        if evaluate, let value = resolve(found.reference) {
            word.append(contentsOf: value.utf8)
        } else {
            word.append(contentsOf: bytes[index..<found.end])
        }
        index = found.end
    }
}
