import CurateKit

/// A column of a table `\row` shows: its name and its type as SQL writes it (for the casts that
/// let a key's text value use the table's index).
struct RowColumn: Equatable {
    var name: String
    var type: String
}

/// A valid index of a table, by its key columns in order.
struct RowIndex {
    var columns: [String]
    var isPrimary: Bool
    /// Unique, without predicate or expression: it identifies a row.
    var identifiesRows: Bool
    /// Without predicate: it serves any look-up on its leading columns.
    var isComplete: Bool

    /// An index with an expression among its keys is left out of both uses (its column list
    /// lacks the expression, so its order is not known).
    mutating func dropExpressionIndex() {
        identifiesRows = false
        isComplete = false
    }
}

/// What `\row` needs to know of a table: its names, columns and indexes.
struct RowTable {
    var oid: String
    /// `schema.table`, quoted as needed: what the queries use.
    var qualifiedName: String
    /// As the user would write it: without the schema when the table is on the search path.
    var displayName: String
    /// Its name alone (for messages and JSON).
    var name: String
    var schema: String
    var columns: [RowColumn]
    var indexes: [RowIndex]

    /// The keys that identify a row: the primary key first, then unique indexes.
    var keys: [[String]] {
        indexes.filter(\.identifiesRows).sorted { $0.isPrimary && !$1.isPrimary }.map(\.columns)
    }

    /// The key `\row` uses to name a row of this table (nil: it has none, rows are named by ctid).
    var primaryKey: [String]? { keys.first }

    func type(of column: String) -> String {
        columns.first { $0.name == column }?.type ?? "text"
    }

    /// Whether some complete index starts with exactly these columns (in any order).
    func hasIndex(leadingWith wanted: [String]) -> Bool {
        indexes.contains { index in
            index.isComplete && index.columns.count >= wanted.count && Set(index.columns.prefix(wanted.count)) == Set(wanted)
        }
    }
}

/// Looks tables up in the catalog, once per command.
final class RowTableCatalog {
    let session: Session
    private var cache: [String: RowTable] = [:]

    init(session: Session) { self.session = session }

    /// The table the user named: the exact name first (so `\row "My Table" 1` finds `My Table`,
    /// whose quotes the argument splitting took off), then the name as SQL reads it
    /// (`Schema.t`, folded to lower case unless quoted).
    func resolve(_ name: String) throws -> RowTable? {
        let exact = try session.execute("""
            SELECT c.oid::text FROM pg_catalog.pg_class c
            WHERE c.relname = $1 AND pg_catalog.pg_table_is_visible(c.oid) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            """, [name])
        if let oid = exact.rows.first?[0] { return try table(oid: oid) }
        // to_regclass refuses a name that is not SQL syntax (PostgreSQL before 16): not a table then.
        guard let oid = try Self.valueUnlessRefused(session, savepoint: "curate_row_name", {
            try session.execute("SELECT pg_catalog.to_regclass($1)::oid::text", [name]).rows.first?[0] ?? nil
        }) else { return nil }
        return try table(oid: oid)
    }

    /// `body`'s value, read in a read-only savepoint; nil when the server refused it (a value not
    /// of a column's type, a name that is not SQL), which leaves the transaction usable.
    static func valueUnlessRefused<T>(_ session: Session, savepoint: String, _ body: () throws -> T?) throws -> T? {
        do {
            return try session.withSavepoint(named: savepoint, readOnly: true, keep: false, body)
        } catch {
            if error.bodyError is ServerError { return nil }
            throw error.reported
        }
    }

    /// The table of this OID (from the cache after the first time).
    func table(oid: String) throws -> RowTable {
        if let known = cache[oid] { return known }
        let names = try session.execute("""
            SELECT pg_catalog.format('%I.%I', n.nspname, c.relname),
                   CASE WHEN pg_catalog.pg_table_is_visible(c.oid) THEN pg_catalog.quote_ident(c.relname)
                        ELSE pg_catalog.format('%I.%I', n.nspname, c.relname) END,
                   c.relname, n.nspname
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.oid = $1::oid
            """, [oid])
        guard let row = names.rows.first else { throw CommandError("no table with OID \(oid)") }
        let columns = try session.execute("""
            SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """, [oid]).rows.map { RowColumn(name: $0[0] ?? "", type: $0[1] ?? "text") }
        let indexRows = try session.execute("""
            SELECT i.indexrelid::text, i.indisprimary,
                   i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indimmediate,
                   i.indpred IS NULL, a.attname
            FROM pg_catalog.pg_index i
            CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
            LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = $1::oid AND i.indisvalid AND i.indisready AND k.position <= i.indnkeyatts
            ORDER BY i.indisprimary DESC, i.indexrelid, k.position
            """, [oid])
        var indexes: [RowIndex] = []
        var current: String? = nil
        var expression = false
        for index in indexRows.rows {
            if index[0] != current {
                if expression, !indexes.isEmpty { indexes[indexes.count - 1].dropExpressionIndex() }
                current = index[0]
                expression = false
                indexes.append(RowIndex(columns: [], isPrimary: index[1] == "t", identifiesRows: index[2] == "t", isComplete: index[3] == "t"))
            }
            if let column = index[4] { indexes[indexes.count - 1].columns.append(column) } else { expression = true }
        }
        if expression, !indexes.isEmpty { indexes[indexes.count - 1].dropExpressionIndex() }
        let table = RowTable(oid: oid, qualifiedName: row[0] ?? "", displayName: row[1] ?? "", name: row[2] ?? "",
                             schema: row[3] ?? "", columns: columns, indexes: indexes)
        cache[oid] = table
        return table
    }
}
