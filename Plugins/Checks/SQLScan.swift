import CurateKit

/// What a pack file's loader needs to know of a section's SQL before it ever reaches the
/// server: where statements end, which `$n` parameters it uses, and its words outside strings
/// and comments. Read with CurateKit's `SQLLexer`, which knows PostgreSQL's quoting and comments.
struct SQLScan {
    private let text: String
    private let tokens: [SQLToken]

    init(_ text: String) {
        self.text = text
        tokens = SQLLexer.tokenize(text).tokens
    }

    /// Byte offsets (UTF-8) of the semicolons outside strings and comments.
    var semicolons: [Int] { tokens.filter { $0.isPunctuation(";") }.map(\.start) }

    /// `$n` parameter references outside strings and comments: number and byte offset.
    var parameters: [(number: Int, offset: Int)] {
        tokens.compactMap { token in
            token.kind == .parameter ? (Int(token.text.dropFirst()) ?? Int.max, token.start) : nil
        }
    }

    /// The words (keywords and unquoted names, upper-cased) of the code, in order.
    var words: [String] { tokens.filter { $0.kind == .word }.map(\.upper) }

    /// True when there is no code at all (comments and blank lines only).
    var isEmpty: Bool { tokens.isEmpty }

    /// The byte offset of the first code after `offset` that is not a semicolon, or nil.
    func firstCode(after offset: Int) -> Int? {
        tokens.first { $0.start > offset && !$0.isPunctuation(";") }?.start
    }

    /// The byte offsets of `{` outside strings and comments (where a `{where ALIAS}` may begin).
    var openingBraces: [Int] { tokens.filter { $0.isPunctuation("{") }.map(\.start) }
}
