import CurateKit

/// Interactive safety net: a statement that deletes or updates every row, drops or truncates is
/// shown with what is at stake (row counts where they are cheap to get) and sent only when the
/// person confirms. Scripts run as written; `\set GUARD off` turns it off.
struct DestructiveGuard {
    /// Tables above this many rows (by the planner's estimate) are not counted exactly.
    static let exactCountLimit = 200_000

    let session: Session

    /// True when the statement may be sent.
    func allows(_ statement: String, context: CommandContext) throws -> Bool {
        var actions = StatementClassifier.destructiveActions(in: statement)
        // What only the server can judge: a WHERE the planner drops, rows that go with a DELETE
        // or TRUNCATE through foreign keys.
        let judge = GuardJudge(session: session, exactCountLimit: Self.exactCountLimit)
        var cascades: [String] = []
        for write in StatementClassifier.conditionalWrites(in: statement) where judge.usable {
            let verb = write.kind == .delete ? "DELETE" : "UPDATE"
            if write.hasWhere && judge.planIgnoresCondition(write.statement) {
                actions.append(DestructiveAction(kind: write.kind == .delete ? .deleteWithoutWhere : .updateWithoutWhere, tables: [write.table],
                                                 summary: "\(verb) whose WHERE is always true (the planner drops it) on \(write.display)"))
            }
            if write.kind == .delete, let cascade = judge.deleteCascade(write) {
                cascades.append("  DELETE on \(write.display) (\(cascade.own)) cascades through ON DELETE CASCADE to:")
                cascades += cascade.stakes.map { "    \($0.table): \($0.rows)" }
            }
        }
        for action in actions where action.kind == .truncate && action.summary.hasSuffix(" CASCADE") && judge.usable {
            let stakes = judge.truncateCascade(action.tables)
            if !stakes.isEmpty {
                cascades.append("  TRUNCATE ... CASCADE also empties:")
                cascades += stakes.map { "    \($0.table): \($0.rows)" }
            }
        }
        guard !actions.isEmpty || !cascades.isEmpty else { return true }
        var lines = ["This statement is destructive:"]
        for action in actions {
            var line = "  " + action.summary
            let counts = action.tables.compactMap { table in rowCount(of: table).map { "\(table): \($0)" } }
            if !counts.isEmpty { line += " (" + counts.joined(separator: ", ") + ")" }
            lines.append(line)
        }
        lines += cascades
        context.console.printError(lines.joined(separator: "\n"))
        return try context.confirm("Send it?", assumeYes: false)
    }

    /// "242 rows", or "about 1.2 million rows" from the planner's estimate for a big table; nil
    /// when the table cannot be read. Never disturbs the user's transaction: inside one it runs
    /// in a savepoint, in a failed one not at all.
    func rowCount(of table: String) -> String? {
        let state = session.transactionState
        guard state == .idle || state == .inTransaction else { return nil }
        let read = { () throws -> String? in
            let estimate = try session.execute(
                "SELECT reltuples::bigint FROM pg_catalog.pg_class WHERE oid = pg_catalog.to_regclass($1)", [Self.quotedName(table, session)]
            )
            guard let row = estimate.rows.first, let value = row[0].flatMap({ Int($0) }) else { return nil }
            if value > Self.exactCountLimit { return "about \(value) rows" }
            let exact = try session.execute("SELECT count(*) FROM \(Self.quotedName(table, session))")
            let count = exact.rows.first?[0] ?? "?"
            return count == "1" ? "1 row" : "\(count) rows"
        }
        return state == .inTransaction ? (try? session.savepoint(read)) ?? nil : (try? read()) ?? nil
    }

    /// `schema.table` as written, each part quoted.
    static func quotedName(_ name: String, _ session: Session) -> String {
        name.split(separator: ".", maxSplits: 1).map { session.quoteIdentifier(String($0)) }.joined(separator: ".")
    }
}
