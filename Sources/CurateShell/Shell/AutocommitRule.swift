/// psql's `AUTOCOMMIT off`: a `BEGIN` is sent before a statement when no transaction is open,
/// except before the statements psql exempts (its `command_no_begin`): transaction control
/// itself, and the statements the server refuses inside a transaction block.
enum AutocommitRule {
    /// Whether `sql` is sent without a `BEGIN` before it.
    static func exempts(_ sql: String) -> Bool {
        var words = LeadingWords(sql)
        let first = words.next()
        switch first {
        case "abort", "begin", "start", "commit", "end", "rollback":
            return true
        case "prepare":
            return words.next() == "transaction"  // PREPARE TRANSACTION, not PREPARE name
        case "vacuum":
            return true
        case "cluster":
            return !words.letterFollows()  // CLUSTER alone; CLUSTER table runs in a transaction
        case "create":
            var second = words.next()
            if second == "database" || second == "tablespace" { return true }
            if second == "unique" { second = words.next() }
            return second == "index" && words.next() == "concurrently"
        case "alter":
            return words.next() == "system"
        case "drop", "reindex":
            let second = words.next()
            if second == "database" || second == "system" || second == "tablespace" { return true }
            // DROP INDEX CONCURRENTLY; REINDEX INDEX|TABLE CONCURRENTLY.
            if second == "index" || (first == "reindex" && second == "table") {
                return words.next() == "concurrently"
            }
            return false
        case "discard":
            return words.next() == "all"
        default:
            return false
        }
    }
}
