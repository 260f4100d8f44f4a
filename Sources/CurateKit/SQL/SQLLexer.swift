/// One lexical token of PostgreSQL SQL text. Whitespace and comments are not tokens.
public struct SQLToken: Sendable, Equatable {
    /// What a token is.
    public enum Kind: Sendable, Equatable {
        /// A keyword or an unquoted identifier.
        case word
        /// `"name"` (or `U&"name"`).
        case quotedIdentifier
        /// `'text'`, `E'text'`, `B'...'`, `X'...'`, `N'...'`, `U&'...'`.
        case string
        /// `$$text$$` or `$tag$text$tag$`.
        case dollarString
        /// A numeric constant.
        case number
        /// `$1`.
        case parameter
        /// One character of punctuation or operator: `(`, `)`, `,`, `;`, `.`, `=`, `:` ...
        case punctuation
    }

    /// What the token is.
    public var kind: Kind
    /// UTF-8 offset of the token's first byte in the text it was read from.
    public var start: Int
    /// UTF-8 offset just past the token's last byte.
    public var end: Int
    /// Parenthesis depth: the contents of `( ... )` are one deeper than the parentheses themselves.
    public var depth: Int
    /// The token as written.
    public var text: String
    /// True for a string, quoted identifier or dollar string that the text ends inside.
    public var isUnterminated = false

    /// A word in upper case (ASCII), for comparing with keywords; other tokens as written.
    public var upper: String { kind == .word ? Self.asciiUppercased(text) : text }

    /// For a word or quoted identifier, the name PostgreSQL resolves: an unquoted word folded to
    /// lower case, a quoted one without its quotes (`""` undoubled). Nil for other tokens.
    public var identifier: String? {
        switch kind {
        case .word:
            return Self.asciiLowercased(text)
        case .quotedIdentifier:
            return Self.unquoted(text, quote: UInt8(ascii: "\""), closed: !isUnterminated)
        default:
            return nil
        }
    }

    /// For a string or dollar-quoted string, the text inside its quotes (`''` undoubled; a
    /// backslash escape of an `E'...'` string is left as written). Nil for other tokens.
    public var stringValue: String? {
        switch kind {
        case .string:
            return Self.unquoted(text, quote: UInt8(ascii: "'"), closed: !isUnterminated)
        case .dollarString:
            let bytes = Array(text.utf8)
            guard let tagEnd = bytes.dropFirst().firstIndex(of: UInt8(ascii: "$")) else { return "" }
            let tagLength = tagEnd + 1
            let bodyEnd = isUnterminated ? bytes.count : max(tagLength, bytes.count - tagLength)
            return String(decoding: bytes[tagLength..<bodyEnd], as: UTF8.self)
        default:
            return nil
        }
    }

    /// The body of a quoted token: the prefix (`E`, `U&`...) and quotes dropped, doubled quotes
    /// undoubled. Works on bytes: a quote after a combining or prepended mark is still a quote.
    private static func unquoted(_ text: String, quote: UInt8, closed: Bool) -> String {
        let bytes = Array(text.utf8)
        guard var index = bytes.firstIndex(of: quote) else { return "" }
        index += 1
        let end = closed && bytes.count > index && bytes.last == quote ? bytes.count - 1 : bytes.count
        var body: [UInt8] = []
        body.reserveCapacity(end - index)
        while index < end {
            body.append(bytes[index])
            index += bytes[index] == quote && index + 1 < end && bytes[index + 1] == quote ? 2 : 1
        }
        return String(decoding: body, as: UTF8.self)
    }

    /// True for the word `keyword` (given in upper case), in any case.
    public func isWord(_ keyword: String) -> Bool { kind == .word && upper == keyword }
    /// True for the punctuation `character`.
    public func isPunctuation(_ character: String) -> Bool { kind == .punctuation && text == character }
    /// True for a word or a quoted identifier: something that can name an object.
    public var isName: Bool { kind == .word || kind == .quotedIdentifier }

    /// `text` with ASCII letters in lower case, as PostgreSQL folds unquoted names (other letters kept).
    public static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// `text` with ASCII letters in upper case (other letters kept).
    public static func asciiUppercased(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }, as: UTF8.self)
    }
}

/// Splits SQL text into tokens the way PostgreSQL's scanner does, tolerating text that ends in
/// the middle of something (a statement still being typed).
public enum SQLLexer {
    /// The tokens of a text and how it ends.
    public struct Result: Sendable {
        /// The tokens in order.
        public var tokens: [SQLToken]
        /// The text ends inside a `--` or `/* */` comment.
        public var endsInComment: Bool
    }

    /// The tokens of `sql`; whitespace and comments are dropped.
    public static func tokenize(_ sql: String) -> Result {
        let bytes = Array(sql.utf8)
        var tokens: [SQLToken] = []
        var depth = 0
        var index = 0
        var endsInComment = false

        func add(_ kind: SQLToken.Kind, _ start: Int, _ end: Int, unterminated: Bool = false) {
            var tokenDepth = depth
            if kind == .punctuation {
                if bytes[start] == UInt8(ascii: "(") {
                    depth += 1
                } else if bytes[start] == UInt8(ascii: ")") {
                    depth = max(0, depth - 1)
                    tokenDepth = depth
                }
            }
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
            tokens.append(SQLToken(kind: kind, start: start, end: end, depth: tokenDepth, text: text, isUnterminated: unterminated))
        }

        while index < bytes.count {
            let byte = bytes[index]
            let next: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
            if isSpace(byte) {
                index += 1
            } else if byte == UInt8(ascii: "-"), next == UInt8(ascii: "-") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                if index >= bytes.count { endsInComment = true }
            } else if byte == UInt8(ascii: "/"), next == UInt8(ascii: "*") {
                var nesting = 1
                index += 2
                while index < bytes.count, nesting > 0 {
                    if bytes[index] == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                        nesting += 1
                        index += 2
                    } else if bytes[index] == UInt8(ascii: "*"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                        nesting -= 1
                        index += 2
                    } else {
                        index += 1
                    }
                }
                if nesting > 0 { endsInComment = true }
            } else if byte == UInt8(ascii: "'") {
                let (end, closed) = scanQuoted(bytes, from: index, quote: UInt8(ascii: "'"), backslashEscapes: false)
                add(.string, index, end, unterminated: !closed)
                index = end
            } else if byte == UInt8(ascii: "\"") {
                let (end, closed) = scanQuoted(bytes, from: index, quote: UInt8(ascii: "\""), backslashEscapes: false)
                add(.quotedIdentifier, index, end, unterminated: !closed)
                index = end
            } else if byte == UInt8(ascii: "$") {
                if let next, isDigit(next) {
                    var end = index + 1
                    while end < bytes.count, isDigit(bytes[end]) { end += 1 }
                    add(.parameter, index, end)
                    index = end
                } else if let tagEnd = dollarTagEnd(bytes, from: index) {
                    let tag = Array(bytes[index..<tagEnd])
                    var end = tagEnd
                    var closed = false
                    while end < bytes.count {
                        if bytes[end] == UInt8(ascii: "$"), end + tag.count <= bytes.count, Array(bytes[end..<end + tag.count]) == tag {
                            end += tag.count
                            closed = true
                            break
                        }
                        end += 1
                    }
                    add(.dollarString, index, end, unterminated: !closed)
                    index = end
                } else {
                    add(.punctuation, index, index + 1)
                    index += 1
                }
            } else if isIdentifierStart(byte) {
                // String and identifier prefixes: E'..', B'..', X'..', N'..', U&'..', U&"..".
                if next == UInt8(ascii: "'"), [UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "b"), UInt8(ascii: "B"), UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "n"), UInt8(ascii: "N")].contains(byte) {
                    let escapes = byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                    let (end, closed) = scanQuoted(bytes, from: index + 1, quote: UInt8(ascii: "'"), backslashEscapes: escapes)
                    add(.string, index, end, unterminated: !closed)
                    index = end
                    continue
                }
                if byte == UInt8(ascii: "u") || byte == UInt8(ascii: "U"), next == UInt8(ascii: "&"), index + 2 < bytes.count,
                   bytes[index + 2] == UInt8(ascii: "'") || bytes[index + 2] == UInt8(ascii: "\"") {
                    let quote = bytes[index + 2]
                    let (end, closed) = scanQuoted(bytes, from: index + 2, quote: quote, backslashEscapes: false)
                    add(quote == UInt8(ascii: "'") ? .string : .quotedIdentifier, index, end, unterminated: !closed)
                    index = end
                    continue
                }
                var end = index + 1
                while end < bytes.count, isIdentifierPart(bytes[end]) { end += 1 }
                add(.word, index, end)
                index = end
            } else if isDigit(byte) || (byte == UInt8(ascii: ".") && next.map(isDigit) == true) {
                var end = index + 1
                while end < bytes.count, isDigit(bytes[end]) || bytes[end] == UInt8(ascii: ".") || bytes[end] == UInt8(ascii: "_")
                    || isIdentifierStart(bytes[end]) {
                    // Exponents (1e-5) and hex/octal/binary literals (0x1F) stay one token.
                    if (bytes[end] == UInt8(ascii: "e") || bytes[end] == UInt8(ascii: "E")), end + 1 < bytes.count,
                       bytes[end + 1] == UInt8(ascii: "-") || bytes[end + 1] == UInt8(ascii: "+") {
                        end += 2
                        continue
                    }
                    end += 1
                }
                add(.number, index, end)
                index = end
            } else {
                add(.punctuation, index, index + 1)
                index += 1
            }
        }
        return Result(tokens: tokens, endsInComment: endsInComment)
    }

    /// The token index ranges of the statements in `tokens`: split at `;` outside parentheses,
    /// except inside a `BEGIN ATOMIC ... END` body of `CREATE FUNCTION`/`PROCEDURE`. Empty
    /// statements are left out.
    public static func statementRanges(_ tokens: [SQLToken]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var atomicNesting = 0
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if atomicNesting > 0 {
                if token.isWord("CASE") || token.isWord("BEGIN") { atomicNesting += 1 }
                if token.isWord("END") { atomicNesting -= 1 }
            } else if token.isWord("BEGIN"), index + 1 < tokens.count, tokens[index + 1].isWord("ATOMIC"),
                      start < tokens.count, tokens[start].isWord("CREATE") {
                atomicNesting = 1
                index += 1
            } else if token.isPunctuation(";"), token.depth == 0 {
                if start < index { ranges.append(start..<index) }
                start = index + 1
            }
            index += 1
        }
        if start < tokens.count { ranges.append(start..<tokens.count) }
        return ranges
    }

    /// The index of the `)` closing the `(` at `open`, or `limit` when the text ends first.
    public static func closingParenthesis(_ tokens: [SQLToken], open: Int, limit: Int) -> Int {
        let depth = tokens[open].depth
        var index = open + 1
        while index < limit {
            if tokens[index].isPunctuation(")"), tokens[index].depth == depth { return index }
            index += 1
        }
        return limit
    }

    /// Tokens put back together as readable SQL (single spaces, none around `.` or inside parentheses).
    public static func render(_ tokens: ArraySlice<SQLToken>) -> String {
        var result = ""
        var previous: SQLToken?
        for token in tokens {
            if let previous {
                let tight = previous.isPunctuation("(") || previous.isPunctuation(".") || token.isPunctuation(")")
                    || token.isPunctuation(",") || token.isPunctuation(".") || (token.isPunctuation("(") && previous.isName)
                if !tight { result += " " }
            }
            result += token.text
            previous = token
        }
        return result
    }

    // MARK: Scanning helpers

    /// Scans a quoted token starting at the opening quote; a doubled quote stays inside it.
    private static func scanQuoted(_ bytes: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool) -> (end: Int, closed: Bool) {
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if backslashEscapes, byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == quote {
                if index + 1 < bytes.count, bytes[index + 1] == quote {
                    index += 2
                    continue
                }
                return (index + 1, true)
            }
            index += 1
        }
        return (bytes.count, false)
    }

    /// The end of `$tag$` starting at `start`, or nil when the `$` does not open a dollar quote.
    private static func dollarTagEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start + 1
        if index < bytes.count, bytes[index] == UInt8(ascii: "$") { return index + 1 }
        guard index < bytes.count, isIdentifierStart(bytes[index]) else { return nil }
        while index < bytes.count, isIdentifierStart(bytes[index]) || isDigit(bytes[index]) { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "$") else { return nil }
        return index + 1
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 12 || byte == 11
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    private static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    private static func isIdentifierPart(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || isDigit(byte) || byte == UInt8(ascii: "$")
    }
}
