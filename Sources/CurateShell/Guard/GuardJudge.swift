import CurateKit
import Foundation

/// What the guard asks the server: whether the planner drops a `WHERE` (it is always true), and
/// which rows of which tables go with a `DELETE` or `TRUNCATE ... CASCADE` through foreign keys.
/// Everything runs read-only and is rolled back (a savepoint inside the user's transaction); in a
/// failed transaction nothing runs.
struct GuardJudge {
    let session: Session
    /// Counted exactly up to this many rows (the planner's estimate), estimated above.
    let exactCountLimit: Int

    /// A foreign key: `child (columns)` references `parent (referencedColumns)`.
    struct Edge {
        var child: String
        var parent: String
        var columns: String
        var referencedColumns: String
        var cascadesDeletes: Bool
    }

    /// A table at stake and its rows: "242 rows (counted)" or "about 1200000 rows (planner estimate)".
    struct Stake: Equatable {
        var table: String
        var rows: String
    }

    var usable: Bool { session.transactionState == .idle || session.transactionState == .inTransaction }

    /// Runs `body` read-only and rolled back; nil when anything fails.
    func readOnly<T>(_ body: () throws -> T) -> T? {
        guard usable else { return nil }
        return try? session.withTransaction(readOnly: true, keep: false, settings: [QuerySetting("statement_timeout", "5s")], body)
    }

    /// True when the plan of `statement` applies no condition at all: the planner found its
    /// `WHERE` always true and dropped it.
    func planIgnoresCondition(_ statement: String) -> Bool {
        let plan = readOnly { try session.execute("EXPLAIN (COSTS OFF) " + statement).rows.compactMap { $0[0] } } ?? []
        guard !plan.isEmpty else { return false }
        return !plan.contains { $0.contains("Filter:") || $0.contains("Cond:") || $0.contains("Index Searches") }
    }

    /// Every foreign key of the database.
    func edges() -> [Edge] {
        readOnly {
            try session.execute("""
                SELECT con.conrelid::regclass::text, con.confrelid::regclass::text,
                       (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY k.n)
                        FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, n)
                        JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),
                       (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY k.n)
                        FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, n)
                        JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum),
                       con.confdeltype = 'c'
                FROM pg_catalog.pg_constraint con WHERE con.contype = 'f' ORDER BY 1, 2
                """).rows.map { Edge(child: $0[0] ?? "", parent: $0[1] ?? "", columns: $0[2] ?? "", referencedColumns: $0[3] ?? "", cascadesDeletes: $0[4] == "t") }
        } ?? []
    }

    /// The table as `regclass` prints it; nil when it does not exist.
    func regclass(_ name: String) -> String? {
        readOnly { try session.execute("SELECT pg_catalog.to_regclass($1)::text", [DestructiveGuard.quotedName(name, session)]).rows.first?[0] ?? nil } ?? nil
    }

    /// The tables `TRUNCATE ... CASCADE` of `tables` empties besides them, with their rows.
    func truncateCascade(_ tables: [String]) -> [Stake] {
        let all = edges()
        var seen = Set(tables.compactMap(regclass))
        var queue = Array(seen)
        var stakes: [Stake] = []
        while !queue.isEmpty {
            let parent = queue.removeFirst()
            for edge in all where edge.parent == parent && !seen.contains(edge.child) {
                seen.insert(edge.child)
                queue.append(edge.child)
                stakes.append(Stake(table: edge.child, rows: wholeTable(edge.child)))
            }
        }
        return stakes
    }

    /// The rows a `DELETE` removes through `ON DELETE CASCADE`, table by table (breadth first),
    /// and the rows it deletes itself; nil when it cascades nowhere.
    func deleteCascade(_ write: ConditionalWrite) -> (own: String, stakes: [Stake])? {
        guard let table = regclass(write.table), let reference = write.reference, let from = write.from else { return nil }
        let all = edges().filter(\.cascadesDeletes)
        guard all.contains(where: { $0.parent == table }) else { return nil }
        // The keys of the rows deleted at each table, as a query.
        var selections: [(table: String, select: (String) -> String)] = [(table, { columns in
            "SELECT " + columns.split(separator: ",").map { "\(reference).\($0.trimmingCharacters(in: .whitespaces))" }.joined(separator: ", ") + " FROM " + from
        })]
        var seen: Set<String> = [table]
        var stakes: [Stake] = []
        var index = 0
        while index < selections.count {
            let (parent, select) = selections[index]
            index += 1
            for edge in all where edge.parent == parent && !seen.contains(edge.child) {
                seen.insert(edge.child)
                let rows = "SELECT 1 FROM \(edge.child) c WHERE (\(edge.columns.split(separator: ",").map { "c.\($0.trimmingCharacters(in: .whitespaces))" }.joined(separator: ", "))) IN (\(select(edge.referencedColumns)))"
                stakes.append(Stake(table: edge.child, rows: count(rows)))
                let child = edge.child
                let columns = edge.columns
                selections.append((child, { wanted in
                    let list = wanted.split(separator: ",").map { "c.\($0.trimmingCharacters(in: .whitespaces))" }.joined(separator: ", ")
                    return "SELECT \(list) FROM \(child) c WHERE (\(columns.split(separator: ",").map { "c.\($0.trimmingCharacters(in: .whitespaces))" }.joined(separator: ", "))) IN (\(select(edge.referencedColumns)))"
                }))
            }
        }
        return (count("SELECT 1 FROM " + from), stakes)
    }

    /// The rows of `query`: counted when the planner expects at most `exactCountLimit`, else its estimate.
    func count(_ query: String) -> String {
        let estimate = readOnly { () throws -> Int? in
            let plan = try session.execute("EXPLAIN (FORMAT JSON) " + query).rows.first?[0] ?? ""
            guard let range = plan.range(of: "\"Plan Rows\": ") else { return nil }
            return Int(plan[range.upperBound...].prefix { $0.isNumber })
        } ?? nil
        guard let estimate else { return "rows unknown" }
        if estimate <= exactCountLimit, let exact = readOnly({ try session.execute("SELECT count(*) FROM (\(query)) q").rows.first?[0] ?? nil }) ?? nil {
            return exact == "1" ? "1 row (counted)" : "\(exact) rows (counted)"
        }
        return "about \(estimate) rows (planner estimate)"
    }

    /// All rows of a table: counted when small, the planner's estimate when large.
    func wholeTable(_ table: String) -> String {
        count("SELECT 1 FROM \(table)")
    }
}
