import CurateKit

extension FixEngine {
    /// unique_violation, exclusion_violation, check_violation: restoring the rows would break a
    /// rule the database holds now.
    static let constraintStates: Set<String> = ["23505", "23P01", "23514"]

    /// The message for an undo refused by a constraint: which one, whether `\fix harden` added it
    /// after the fix (its audit record), and what to do. The undo was rolled back.
    func undoConflict(_ error: ServerError, auditID: Int64) -> CommandError {
        let constraint = error.constraintName ?? "a constraint"
        var origin = ""
        if let name = error.constraintName, let found = try? session.execute("""
            SELECT h.id, h.check_name FROM \(session.quoteIdentifier(schemaName)).audit h
            WHERE h.action = 'harden' AND h.id > $1::bigint AND strpos(h.sql, $2) > 0 ORDER BY h.id LIMIT 1
            """, [String(auditID), name]), let row = found.rows.first {
            origin = ", created by \\fix harden \(row[1] ?? "") (audit record \(row[0] ?? "")) after the fix"
        }
        let table = error.tableName.map { " on \($0)" } ?? ""
        return CommandError(
            "audit record \(auditID) cannot be undone: restoring its rows would break \(constraint)\(table)\(origin); nothing was changed",
            hint: "the database now holds the rule the fix repaired, so the old rows cannot come back as they were. "
                + "Keep the fix, or change the rows by hand; to restore them anyway, DROP INDEX \(constraint) (the rule is then no longer held) and run \\fix undo \(auditID) again"
                + (error.detail.map { " (\($0))" } ?? ""))
    }
}
