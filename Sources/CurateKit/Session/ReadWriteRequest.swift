/// A statement that asks for a writable transaction in a session that must stay read-only:
/// `BEGIN READ WRITE`, `START TRANSACTION ... READ WRITE`, `SET TRANSACTION READ WRITE`,
/// `SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE`, and setting or resetting
/// `transaction_read_only` or `default_transaction_read_only` to anything but on.
///
/// PostgreSQL accepts these in a session whose default is read-only, and does not report the
/// transaction's own mode to the client, so a read-only session checks for them before sending
/// anything. Only these statements can open the window: once a transaction has run a query, the
/// server itself refuses to make it writable (`set_config` inside a `SELECT` or a `DO` block
/// fails with "transaction read-write mode must be set before any query").
enum ReadWriteRequest {
    /// The first statement of `sql` that asks for a writable transaction, shortened for a
    /// message, or nil when there is none.
    static func find(in sql: String) -> String? {
        let tokens = SQLLexer.tokenize(sql).tokens
        for range in SQLLexer.statementRanges(tokens) where asksForReadWrite(Array(tokens[range])) {
            let shown = SQLLexer.render(tokens[range].prefix(8))
            return range.count > 8 ? shown + " ..." : shown
        }
        return nil
    }

    private static let settings: Set<String> = ["transaction_read_only", "default_transaction_read_only"]

    private static func asksForReadWrite(_ words: [SQLToken]) -> Bool {
        guard let first = words.first else { return false }
        if first.isWord("BEGIN") || first.isWord("START") { return containsReadWrite(words) }
        if first.isWord("RESET") {
            return words.count > 1 && words[1].identifier.map(settings.contains) == true
        }
        guard first.isWord("SET") else { return false }
        var index = 1
        if index < words.count, words[index].isWord("SESSION") || words[index].isWord("LOCAL") { index += 1 }
        guard index < words.count else { return false }
        if words[index].isWord("TRANSACTION") || words[index].isWord("CHARACTERISTICS") { return containsReadWrite(words) }
        guard let name = words[index].identifier, settings.contains(name) else { return false }
        // SET name { TO | = } value: only a single value that turns read-only on may pass.
        let value = index + 2
        return words.count != value + 1 || !turnsOn(words[value])
    }

    private static func containsReadWrite(_ words: [SQLToken]) -> Bool {
        zip(words, words.dropFirst()).contains { $0.isWord("READ") && $1.isWord("WRITE") && $0.depth == 0 }
    }

    /// The spellings PostgreSQL reads as true for a boolean setting.
    private static func turnsOn(_ token: SQLToken) -> Bool {
        let text: String
        switch token.kind {
        case .word, .number: text = token.text
        case .string: text = token.stringValue ?? ""
        default: return false
        }
        return ["on", "true", "tru", "tr", "t", "yes", "ye", "y", "1"].contains(SQLToken.asciiLowercased(text))
    }
}
