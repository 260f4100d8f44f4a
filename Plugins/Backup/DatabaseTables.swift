import CurateKit

/// The tables of the session's database and their sizes, from one catalogue query: how many
/// tables pg_dump will copy (the total of the backup's progress) and how much each holds (to
/// share the verification read evenly, see `ReadPlan`).
struct DatabaseTables {
    /// "schema.table" → bytes on disk, heap and TOAST (`pg_table_size`).
    var sizes: [String: Int64] = [:]
    /// Ordinary tables and partitions: those pg_dump copies rows from (before `--exclude-table`).
    var withRows = 0

    /// nil when the query cannot run (a failed transaction, a lost connection).
    static func read(session: Session) -> DatabaseTables? {
        guard session.transactionState != .failed,
              let rows = try? session.execute("""
                  SELECT n.nspname || '.' || c.relname, c.relkind, pg_table_size(c.oid) FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                    AND n.nspname NOT LIKE 'pg_toast%'
                  """).rows
        else { return nil }
        var tables = DatabaseTables()
        for row in rows {
            guard let name = row[0] else { continue }
            tables.sizes[name] = Int64(row[2] ?? "0") ?? 0
            if row[1] == "r" { tables.withRows += 1 }
        }
        return tables
    }

    /// The estimated data of an archive entry: its table's size plus one, so that empty tables
    /// are still spread; 0 for entries without data.
    func weight(of entry: TOCEntry) -> Int64 {
        guard entry.carriesData else { return 0 }
        return 1 + (sizes["\(entry.schema).\(entry.tag)"] ?? 0)
    }
}
