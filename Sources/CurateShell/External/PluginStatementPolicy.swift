import CurateKit

/// What a plugin's statement may not do: end, open or move the user's transaction, or change
/// the settings that decide whether the session may write. curate owns those; a plugin that
/// tries gets an error reply (its statement is never sent).
///
/// This guards against mistakes, not against malice: a plugin is a program that runs as the
/// user (see the trust rule for plugin folders). The server enforces the rest: the plugin's
/// statements run inside a savepoint, where `COMMIT` inside a function or `DO` block fails.
enum PluginStatementPolicy {
    /// Settings a plugin may neither SET nor RESET.
    static let protectedSettings: Set<String> = [
        "transaction_read_only", "default_transaction_read_only",
        "transaction_isolation", "default_transaction_isolation",
        "transaction_deferrable", "default_transaction_deferrable",
    ]

    /// Why `sql` is refused, or nil when it may run.
    static func refusal(for sql: String) -> String? {
        let tokens = SQLLexer.tokenize(sql).tokens
        for range in SQLLexer.statementRanges(tokens) {
            let words = tokens[range].prefix(4).map { $0.kind == .word ? $0.upper : ($0.identifier.map(SQLToken.asciiUppercased) ?? $0.text) }
            guard let first = words.first else { continue }
            let second = words.count > 1 ? words[1] : ""
            switch first {
            case "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE":
                return "\(first) is transaction control, which belongs to curate and the user; curate runs the plugin's statements in a savepoint and ends it itself"
            case "PREPARE" where second == "TRANSACTION":
                return "PREPARE TRANSACTION is transaction control, which belongs to curate and the user"
            case "DISCARD":
                return "DISCARD would reset the session's settings, read-only mode included"
            case "SET", "RESET":
                var index = 1
                if second == "SESSION" || second == "LOCAL" { index = 2 }
                let target = words.count > index ? words[index] : ""
                if first == "SET", second == "SESSION", target == "CHARACTERISTICS" {
                    return "SET SESSION CHARACTERISTICS changes how the user's transactions run"
                }
                if first == "SET", target == "TRANSACTION" {
                    return "SET TRANSACTION changes the user's transaction"
                }
                if first == "RESET", target == "ALL" {
                    return "RESET ALL would reset the session's settings, read-only mode included"
                }
                if protectedSettings.contains(SQLToken.asciiLowercased(target)) {
                    return "\(first) \(SQLToken.asciiLowercased(target)) changes whether the session may write, which belongs to curate and the user"
                }
            default:
                continue
            }
        }
        return nil
    }
}
