import CurateKit
import Foundation

/// What `\fix history` lists: every record, or those its filters keep.
struct FixHistoryFilter {
    var limit: Int
    /// Records that changed rows of this table (as SQL names it).
    var table: String?
    /// Records that changed the row with this key value (of `table` when given).
    var key: String?
    var check: String?
    /// A timestamp (`2024-06-30`, `2024-06-30 12:00+02`) or an interval before now (`2 days`).
    var since: String?
    /// The database user or the operating-system user who ran it.
    var user: String?
    /// Only fixes that were undone.
    var undone: Bool

    /// `YYYY-MM-DD...` is a time; anything else an interval before now.
    static func sinceIsTimestamp(_ text: String) -> Bool {
        let characters = Array(text.trimmingCharacters(in: .whitespaces))
        guard characters.count >= 10 else { return false }
        return characters[0..<4].allSatisfy(\.isNumber) && characters[4] == "-" && characters[5..<7].allSatisfy(\.isNumber)
            && characters[7] == "-" && characters[8..<10].allSatisfy(\.isNumber)
    }
}

extension FixEngine {
    func history(_ filter: FixHistoryFilter) throws {
        guard try auditExists() else {
            console.print("No audit records: the audit schema \(session.quoteIdentifier(schemaName)) does not exist yet.")
            return
        }
        let s = session.quoteIdentifier(schemaName)
        var conditions: [String] = []
        var parameters: [String?] = [String(filter.limit)]
        func parameter(_ value: String) -> String {
            parameters.append(value)
            return "$\(parameters.count)"
        }
        if let table = filter.table {
            let found = try session.execute("SELECT pg_catalog.to_regclass($1) IS NOT NULL", [table])
            guard found.rows.first?[0] == "t" else {
                throw CommandError("no table named \(table)", hint: "--table takes a table as SQL names it (schema.table, \"Quoted\")")
            }
            let keyCondition = filter.key.map { " AND r.key = \(parameter($0))" } ?? ""
            conditions.append("EXISTS (SELECT FROM \(s).audit_row r WHERE r.audit_id = a.id AND pg_catalog.to_regclass(r.table_name) = pg_catalog.to_regclass(\(parameter(table)))\(keyCondition))")
        } else if let key = filter.key {
            conditions.append("EXISTS (SELECT FROM \(s).audit_row r WHERE r.audit_id = a.id AND r.key = \(parameter(key)))")
        }
        if let check = filter.check { conditions.append("a.check_name = \(parameter(check))") }
        if let since = filter.since {
            conditions.append(FixHistoryFilter.sinceIsTimestamp(since)
                              ? "a.at >= \(parameter(since))::timestamptz" : "a.at >= now() - \(parameter(since))::interval")
        }
        if let user = filter.user {
            let placeholder = parameter(user)
            conditions.append("(a.database_user = \(placeholder) OR a.os_user = \(placeholder) OR a.session_user_name = \(placeholder))")
        }
        if filter.undone { conditions.append("EXISTS (SELECT FROM \(s).audit u WHERE u.undoes = a.id)") }
        let whereClause = conditions.isEmpty ? "" : "\nWHERE " + conditions.joined(separator: "\n  AND ")
        do {
            try context.printResults(of: """
                SELECT a.id, a.at, a.database_user, a.os_user, a.action, a.check_name AS "check", a.row_count AS rows,
                       a.condition, a.undoes,
                       (SELECT string_agg(u.id::text, ', ' ORDER BY u.id) FROM \(s).audit u WHERE u.undoes = a.id) AS undone_by
                FROM \(s).audit a\(whereClause)
                ORDER BY a.id DESC LIMIT $1
                """, parameters: parameters)
        } catch let error as ServerError where ["22007", "22008", "22P02", "22015"].contains(error.sqlState) {
            throw CommandError("--since \(filter.since ?? ""): \(error.message)",
                               hint: "a time (2024-06-30, '2024-06-30 12:00+00') or an interval before now ('2 days', '3 hours')")
        }
    }
}
