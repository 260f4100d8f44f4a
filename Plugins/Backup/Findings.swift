import CurateKit

/// What changes what a restore of the backup brings back, recorded in its manifest and shown:
/// invalid indexes (pg_dump leaves them out), NOT VALID constraints (restored unchecked) and
/// foreign keys with orphan rows (the restore fails to recreate them).
///
/// The queries run on the session's connection while pg_dump dumps on its own (`BackupRun`
/// calls `collect` from its wait for pg_dump): the orphan check reads every referencing table,
/// 0.7 s on the benchmark database, which then costs no time of its own.
enum Findings {
    static func collect(session: Session, isCancelled: () -> Bool) -> [String] {
        guard session.transactionState != .failed else { return [] }
        var findings: [String] = []
        do {
            // In a transaction of its own, or a savepoint in the user's.
            try session.transaction {
                // One process per query: pg_dump compresses on one core and its COPY needs the
                // other, and on the benchmark machine the anti-joins ran faster alone (0.40 s)
                // than with two parallel workers (0.74 s). SET LOCAL would outlive a savepoint in
                // the user's open transaction: the old value is put back at the end.
                let parallel = try session.execute("SELECT current_setting('max_parallel_workers_per_gather')").rows.first?[0] ?? "2"
                try session.execute("SELECT set_config('max_parallel_workers_per_gather', '0', true)")
                defer { _ = try? session.execute("SELECT set_config('max_parallel_workers_per_gather', $1, true)", [parallel]) }
                for row in try session.execute("""
                    SELECT format('%I.%I', n.nspname, c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT i.indisvalid ORDER BY 1
                    """).rows {
                    findings.append("invalid index \(row[0] ?? "?"): pg_dump leaves it out, a restore will not have it")
                }
                for row in try session.execute("""
                    SELECT format('%s on %s', c.conname, c.conrelid::regclass) FROM pg_constraint c
                    JOIN pg_namespace n ON n.oid = c.connamespace
                    WHERE NOT c.convalidated AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1
                    """).rows {
                    findings.append("NOT VALID constraint \(row[0] ?? "?"): restored as NOT VALID, existing rows unchecked")
                }
                for key in try foreignKeys(session: session) {
                    if isCancelled() { throw CommandCancelled() }
                    let orphans = Int(try session.execute(key.orphanCountSQL).rows.first?[0] ?? "0") ?? 0
                    if orphans > 0 {
                        findings.append("foreign key \(key.name) on \(key.child): \(orphans) orphan row\(orphans == 1 ? "" : "s") without a parent in \(key.parent); a restore will fail to recreate this key")
                    }
                }
            }
        } catch {
            findings.append("could not check for invalid indexes, NOT VALID constraints and foreign-key orphans: \(error)")
        }
        return findings
    }

    /// A foreign key; tables as `regclass` text and columns already quoted.
    struct ForeignKey {
        var name: String
        var child: String
        var parent: String
        var columns: [String]
        var parentColumns: [String]

        /// Rows whose key columns are all set but match no parent row (MATCH SIMPLE's orphans).
        var orphanCountSQL: String {
            let set = columns.map { "c.\($0) IS NOT NULL" }.joined(separator: " AND ")
            let own = columns.map { "c." + $0 }.joined(separator: ", ")
            let theirs = parentColumns.map { "p." + $0 }.joined(separator: ", ")
            return "SELECT count(*) FROM \(child) c WHERE \(set) AND NOT EXISTS (SELECT 1 FROM \(parent) p WHERE (\(theirs)) = (\(own)))"
        }
    }

    static func foreignKeys(session: Session) throws -> [ForeignKey] {
        // Column lists joined with a character no quoted identifier leaves bare.
        try session.execute("""
            SELECT c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text,
              (SELECT string_agg(quote_ident(a.attname), E'\\n' ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n),
              (SELECT string_agg(quote_ident(a.attname), E'\\n' ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n)
            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE c.contype = 'f' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 2, 1
            """).rows.compactMap { row in
            guard let name = row[0], let child = row[1], let parent = row[2], let columns = row[3], let parentColumns = row[4] else { return nil }
            return ForeignKey(name: name, child: child, parent: parent,
                              columns: columns.split(separator: "\n").map(String.init),
                              parentColumns: parentColumns.split(separator: "\n").map(String.init))
        }
    }
}
