/// psql's heuristic for SQL-standard function bodies: in `CREATE [OR REPLACE] {FUNCTION|PROCEDURE} ... BEGIN ATOMIC ... END`,
/// the semicolons between BEGIN and its END do not end the statement.
/// It looks at the statement's first identifiers, then counts BEGIN / CASE / END outside parentheses.
struct FunctionBodyTracker: Sendable {
    /// How many BEGIN (and CASE inside a BEGIN) blocks are open; a `;` ends the statement only at 0.
    private(set) var beginDepth = 0
    /// Identifiers seen in the statement so far, capped (only "is it 0" and the first four matter).
    private var identifierCount = 0
    /// The first letter of the first four identifiers when they are one of the words looked for, else 0.
    private var leading: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)

    private enum Word {
        case create, function, procedure, or, replace, begin, `case`, end
    }

    /// The statement ended (or `\;` was typed): start over with the next identifier.
    mutating func statementEnded() {
        identifierCount = 0
    }

    mutating func reset() {
        self = FunctionBodyTracker()
    }

    /// Notes one identifier token of the statement (outside quotes and comments).
    mutating func note(identifier token: UnsafeBufferPointer<UInt8>, parenthesisDepth: Int) {
        if identifierCount == 0 {
            leading = (0, 0, 0, 0)
        }
        let word = Self.word(token)
        switch word {
        case .create, .function, .procedure, .or, .replace:
            let letter = token[0] | 0x20
            switch identifierCount {
            case 0: leading.0 = letter
            case 1: leading.1 = letter
            case 2: leading.2 = letter
            case 3: leading.3 = letter
            default: break
            }
        default:
            break
        }
        identifierCount = min(identifierCount + 1, 5)

        guard parenthesisDepth == 0, isFunctionDefinition else { return }
        switch word {
        case .begin:
            beginDepth += 1
        case .case:
            if beginDepth >= 1 { beginDepth += 1 }
        case .end:
            if beginDepth > 0 { beginDepth -= 1 }
        default:
            break
        }
    }

    /// CREATE FUNCTION, CREATE PROCEDURE, CREATE OR REPLACE FUNCTION, CREATE OR REPLACE PROCEDURE.
    private var isFunctionDefinition: Bool {
        let c = UInt8(ascii: "c"), f = UInt8(ascii: "f"), p = UInt8(ascii: "p"), o = UInt8(ascii: "o"), r = UInt8(ascii: "r")
        guard leading.0 == c else { return false }
        if leading.1 == f || leading.1 == p { return true }
        return leading.1 == o && leading.2 == r && (leading.3 == f || leading.3 == p)
    }

    private static func word(_ token: UnsafeBufferPointer<UInt8>) -> Word? {
        switch token.count {
        case 2: return matches(token, "or") ? .or : nil
        case 3: return matches(token, "end") ? .end : nil
        case 4: return matches(token, "case") ? .case : nil
        case 5: return matches(token, "begin") ? .begin : nil
        case 6: return matches(token, "create") ? .create : nil
        case 7: return matches(token, "replace") ? .replace : nil
        case 8: return matches(token, "function") ? .function : nil
        case 9: return matches(token, "procedure") ? .procedure : nil
        default: return nil
        }
    }

    /// ASCII case-insensitive comparison with a lowercase word of the same length.
    private static func matches(_ token: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        word.withUTF8Buffer { lower in
            guard lower.count == token.count else { return false }
            for index in 0..<token.count {
                var byte = token[index]
                if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
                if byte != lower[index] { return false }
            }
            return true
        }
    }
}
