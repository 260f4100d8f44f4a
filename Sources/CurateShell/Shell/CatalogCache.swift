import CurateKit

/// The schema, table and column names Tab completion offers, read from the catalog.
///
/// Read on the shared session (so temporary tables are there too, which a second connection
/// would miss), but only when no transaction is open: then the read is its own implicit
/// transaction and cannot disturb the user's. It is read at startup, after DDL, and on
/// `\refresh`; a refresh wanted inside a transaction waits until the transaction ends. Tab
/// itself only reads this cache, so it never waits on the server.
final class CatalogCache {
    private(set) var snapshot = CatalogSnapshot(tables: [], schemas: [])
    private var stale = true

    /// Marks the cache out of date (after DDL); it is read again when the session is idle.
    func invalidate() { stale = true }

    /// Reads the catalog now if it is stale and the session is idle. Failures keep the old cache.
    func refreshIfNeeded(session: Session) {
        guard stale, session.isConnected, session.transactionState == .idle else { return }
        do {
            snapshot = try Self.read(session)
            snapshot.prepareIndex()  // so that the first Tab does not pay for it
            stale = false
        } catch {
            // A slow or failing catalog read must not get in the user's way: keep what we have.
        }
    }

    static let query = """
        SELECT n.nspname, c.relname, a.attname
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_attribute a
               ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_(catalog|toast)'
          AND (n.nspname = ANY (pg_catalog.current_schemas(true)) OR n.nspname !~ '^pg_')
        ORDER BY 1, 2, a.attnum
        """

    private static func read(_ session: Session) throws -> CatalogSnapshot {
        var tables: [CatalogSnapshot.Table] = []
        var schemas: Set<String> = []
        // Bounded: a catalog read that takes more than two seconds is abandoned. Its transaction
        // only reads, and is rolled back.
        try session.execute("BEGIN")
        defer { if session.transactionState.isOpen { _ = try? session.execute("ROLLBACK") } }
        try session.execute("SET LOCAL statement_timeout = '2s'")
        try session.stream(query) { row in
            let schema = row[0] ?? "", name = row[1] ?? ""
            schemas.insert(schema)
            if let last = tables.last, last.schema == schema, last.name == name {
                if let column = row[2] { tables[tables.count - 1].columns.append(column) }
            } else {
                tables.append(CatalogSnapshot.Table(schema: schema, name: name, columns: row[2].map { [$0] } ?? []))
            }
        }
        return CatalogSnapshot(tables: tables, schemas: schemas.sorted())
    }
}
