import CurateKit

/// Rows read for `\row`: the result's columns (the row's physical place `ctid` first, then the
/// table's own), and the values.
struct SelectedRows {
    var columns: [ColumnDescription]
    var rows: [[String?]]

    /// The table's own columns, without the leading `ctid`.
    var shownColumns: [ColumnDescription] { Array(columns.dropFirst()) }

    func value(_ row: [String?], of column: String) -> String? {
        guard let index = columns.dropFirst().firstIndex(where: { $0.name == column }) else { return nil }
        return row[index]
    }

    /// The address of a row read from `table`: its key's values, or its `ctid` when it has no key.
    func address(of row: [String?], in table: RowTable) -> RowAddress {
        if let key = table.primaryKey {
            return RowAddress(tableOID: table.oid, columns: key, values: key.map { value(row, of: $0) })
        }
        return RowAddress(tableOID: table.oid, columns: [RowAddress.physicalColumn], values: [row[0]])
    }
}

/// The queries `\row` runs on a table: rows whose columns hold given values (by index when the
/// table has one: each value is cast to the column's type), and their count.
struct RowSelect {
    let session: Session

    /// `(c1, c2) IN (($1::t1, $2::t2), ...)` for the tuples without NULL, and the parameters.
    static func condition(table: RowTable, columns: [String], tuples: [[String?]], alias: String, quote: (String) -> String) -> (sql: String, parameters: [String?])? {
        var parameters: [String?] = []
        var groups: [String] = []
        for tuple in tuples where !tuple.contains(where: { $0 == nil }) {
            var casts: [String] = []
            for (column, value) in zip(columns, tuple) {
                parameters.append(value)
                let type = column == RowAddress.physicalColumn ? "tid" : table.type(of: column)
                casts.append("$\(parameters.count)::\(type)")
            }
            groups.append(casts.count == 1 ? casts[0] : "(" + casts.joined(separator: ", ") + ")")
        }
        guard !groups.isEmpty else { return nil }
        let left = columns.map { "\(alias).\(quote($0))" }
        let target = left.count == 1 ? left[0] : "(" + left.joined(separator: ", ") + ")"
        return ("\(target) IN (\(groups.joined(separator: ", ")))", parameters)
    }

    func order(_ table: RowTable, alias: String) -> String {
        (table.primaryKey ?? ["ctid"]).map { "\(alias).\(session.quoteIdentifier($0))" }.joined(separator: ", ")
    }

    /// The rows of `table` matching the tuples, in key order, at most `limit`.
    func rows(of table: RowTable, columns: [String], tuples: [[String?]], limit: Int?) throws -> SelectedRows {
        guard let condition = Self.condition(table: table, columns: columns, tuples: tuples, alias: "r", quote: session.quoteIdentifier) else {
            return SelectedRows(columns: [], rows: [])
        }
        let result = try session.execute("""
            SELECT r.ctid::text AS ctid, r.* FROM \(table.qualifiedName) r
            WHERE \(condition.sql) ORDER BY \(order(table, alias: "r"))\(limit.map { " LIMIT \($0)" } ?? "")
            """, condition.parameters)
        return SelectedRows(columns: result.columns, rows: result.rows.map(\.values))
    }

    func count(of table: RowTable, columns: [String], tuples: [[String?]]) throws -> Int {
        guard let condition = Self.condition(table: table, columns: columns, tuples: tuples, alias: "r", quote: session.quoteIdentifier) else { return 0 }
        let result = try session.execute("SELECT count(*) FROM \(table.qualifiedName) r WHERE \(condition.sql)", condition.parameters)
        return Int(result.rows.first?[0] ?? "0") ?? 0
    }

    /// The rows matching the user's condition (checked beforehand), at most `limit`.
    func rows(of table: RowTable, matching condition: String, limit: Int?) throws -> SelectedRows {
        let result = try session.execute("""
            SELECT ctid::text AS ctid, * FROM \(table.qualifiedName)
            WHERE \(ReadOnlyCondition.parenthesized(condition))
            ORDER BY \((table.primaryKey ?? ["ctid"]).map(session.quoteIdentifier).joined(separator: ", "))\(limit.map { " LIMIT \($0)" } ?? "")
            """)
        return SelectedRows(columns: result.columns, rows: result.rows.map(\.values))
    }

    func count(of table: RowTable, matching condition: String) throws -> Int {
        let result = try session.execute("SELECT count(*) FROM \(table.qualifiedName) WHERE \(ReadOnlyCondition.parenthesized(condition))")
        return Int(result.rows.first?[0] ?? "0") ?? 0
    }

    /// The table's size in pages and the planner's row estimate (nil when never analyzed).
    func size(of table: RowTable) throws -> (pages: Int, estimatedRows: Int?) {
        let result = try session.execute("""
            SELECT pg_catalog.pg_relation_size(c.oid) / pg_catalog.current_setting('block_size')::int, c.reltuples::bigint
            FROM pg_catalog.pg_class c WHERE c.oid = $1::oid
            """, [table.oid])
        let row = result.rows.first
        let estimate = Int(row?[1] ?? "-1") ?? -1
        return (Int(row?[0] ?? "0") ?? 0, estimate < 0 ? nil : estimate)
    }
}
