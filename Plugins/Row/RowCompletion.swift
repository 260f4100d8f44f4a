import CurateKit

/// Tab for `\row`: table names (from the shell's catalog cache), then the values of the table's
/// key, column by column, read by an index range scan with a limit (`key >= typed ORDER BY key
/// LIMIT n`), in a read-only transaction with a short statement timeout, and only when no
/// transaction is open.
enum RowCompletion {
    /// How many key values are read for one Tab.
    static let limit = 200

    static func candidates(for request: CompletionRequest) -> [String] {
        let words = request.previousWords.filter { !$0.hasPrefix("-") }
        if words.isEmpty { return request.tables }
        guard let session = request.idleSession else { return [] }
        let values = try? session.withTransaction(readOnly: true, keep: false, settings: [QuerySetting("statement_timeout", "1s")]) {
            () throws -> [String] in
            let tables = RowTableCatalog(session: session)
            guard let table = try tables.resolve(words[0]) else { return [] }
            let fixed = Array(words.dropFirst())
            // The first value may belong to any key (file's id, or its unique name); later ones to
            // the key whose first values were given: the primary key.
            let keys = fixed.isEmpty ? table.keys : Array(table.keys.prefix(1))
            var found: [String] = []
            for key in keys where fixed.count < key.count {
                let values = try RowTableCatalog.valueUnlessRefused(session, savepoint: "curate_row_complete") {
                    try keyValues(session, table, key: key, fixed: fixed, typed: request.word)
                }
                found += values ?? []
            }
            return found
        }
        return (values ?? []).filter { $0.hasPrefix(request.word) }
    }

    /// Values of `key[fixed.count]` from `typed` on, the earlier key columns equal to `fixed`.
    static func keyValues(_ session: Session, _ table: RowTable, key: [String], fixed: [String], typed: String) throws -> [String] {
        let column = key[fixed.count]
        var conditions: [String] = []
        var parameters: [String?] = []
        for (name, value) in zip(key, fixed) {
            parameters.append(value)
            conditions.append("\(session.quoteIdentifier(name)) = $\(parameters.count)::\(table.type(of: name))")
        }
        let quoted = session.quoteIdentifier(column)
        if !typed.isEmpty {
            parameters.append(typed)
            conditions.append("\(quoted) >= $\(parameters.count)::\(table.type(of: column))")
        }
        let sql = "SELECT DISTINCT \(quoted)::text, \(quoted) FROM \(table.qualifiedName)"
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY \(quoted) LIMIT \(limit)"
        return try session.execute(sql, parameters).rows.compactMap { $0[0] }
    }
}
