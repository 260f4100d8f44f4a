import CurateKit
import Foundation

/// The audit records of the fixes (and undos) that changed the given rows: the fix plugin's
/// audit tables (`CURATE_AUDIT_SCHEMA`, default `curate`), read only.
struct RowHistoryReader {
    let context: CommandContext
    let tables: RowTableCatalog
    var session: Session { context.session }

    var schema: String {
        let value = context.variables["CURATE_AUDIT_SCHEMA"] ?? ""
        return value.isEmpty ? "curate" : value
    }

    func history(of addresses: [RowAddress]) throws -> RowHistory {
        let s = session.quoteIdentifier(schema)
        let exists = try session.execute("SELECT pg_catalog.to_regclass($1) IS NOT NULL AND pg_catalog.to_regclass($2) IS NOT NULL",
                                         [s + ".audit", s + ".audit_row"])
        guard exists.rows.first?[0] == "t" else {
            return RowHistory(columns: [], rows: [], note: "no fix has been recorded yet (no audit schema \(s))")
        }
        // The audit keeps one key column per row.
        let keyed = addresses.filter { $0.columns.count == 1 && !$0.isPhysical && $0.values[0] != nil }
        guard !keyed.isEmpty else { return RowHistory(columns: [], rows: []) }
        let array = RowReader.textArray
        var labels: [String] = []
        for address in keyed { labels.append(try tables.table(oid: address.tableOID).displayName) }
        let result = try session.execute("""
            SELECT a.id, a.at AS "time", a.database_user AS "user", a.action, a.check_name AS "check",
                   w.label || ' ' || r.key_column || ' = ' || r.key AS "row",
                   (SELECT string_agg(k.col || ': ' || COALESCE(r.before ->> k.col, 'NULL') || ' → ' || COALESCE(r.after ->> k.col, 'NULL'), ', ' ORDER BY k.col)
                    FROM jsonb_object_keys(COALESCE(r.after, r.before)) AS k(col)
                    WHERE r.before -> k.col IS DISTINCT FROM r.after -> k.col) AS changed,
                   (SELECT string_agg(u.id::text, ', ' ORDER BY u.id) FROM \(s).audit u WHERE u.undoes = a.id) AS undone_by,
                   CASE WHEN a.action = 'fix' AND NOT EXISTS (SELECT FROM \(s).audit u WHERE u.undoes = a.id)
                        THEN '\\fix undo ' || a.id END AS undo
            FROM \(s).audit_row r
            JOIN \(s).audit a ON a.id = r.audit_id
            JOIN unnest($1::oid[], $2::text[], $3::text[], $4::text[]) AS w(rel, col, key, label)
              ON w.key = r.key AND w.col = r.key_column AND pg_catalog.to_regclass(r.table_name) = w.rel
            ORDER BY a.id, "row"
            """, [array(keyed.map(\.tableOID)), array(keyed.map { $0.columns[0] }), array(keyed.map { $0.values[0] ?? "" }), array(labels)])
        return RowHistory(columns: result.columns, rows: result.rows.map(\.values))
    }
}
