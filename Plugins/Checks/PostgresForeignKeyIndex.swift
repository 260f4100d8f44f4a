/// `fk-without-index`: a foreign key whose referencing columns lead no index. Deleting or
/// updating a referenced row then scans the whole referencing table (once per row), and `\row`
/// cannot list the referencing rows without a scan.
extension PostgresPack {
    /// The key's columns as an index would list them, in the key's order.
    static let foreignKeyColumns = """
        (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY k.position)
         FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, position)
         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum)
        """

    /// Foreign keys of user tables with no valid, complete index whose leading columns are the
    /// key's columns (in any order).
    static let foreignKeysWithoutIndex = """
        SELECT n.nspname AS schema, cl.relname AS "table", c.conname AS constraint,
               \(foreignKeyColumns) AS columns,
               c.confrelid::regclass::text AS referenced_table, cl.reltuples::bigint AS estimated_rows
        FROM pg_catalog.pg_constraint c
        JOIN pg_catalog.pg_class cl ON cl.oid = c.conrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = cl.relnamespace
        WHERE c.contype = 'f' AND \(userSchemas)
          AND NOT EXISTS (
              SELECT FROM pg_catalog.pg_index i
              WHERE i.indrelid = c.conrelid AND i.indisvalid AND i.indpred IS NULL
                AND i.indnkeyatts >= pg_catalog.cardinality(c.conkey)
                AND (SELECT array_agg(x ORDER BY x) FROM unnest((i.indkey::int2[])[0:pg_catalog.cardinality(c.conkey) - 1]) AS x)
                  = (SELECT array_agg(x ORDER BY x) FROM unnest(c.conkey) AS x))
        """

    static let foreignKeyWithoutIndex = CheckDefinition(
        name: "fk-without-index", pack: "postgres", severity: .warning,
        description: "a foreign key whose referencing columns have no index (deletes of parents and \\row scan the table)",
        query: .sql(foreignKeysWithoutIndex + " ORDER BY 1, 2, 3"))

    static let foreignKeyWithoutIndexFix = FixDefinition(
        check: "fk-without-index",
        summary: "CREATE INDEX CONCURRENTLY on each foreign key's columns (outside a transaction; asked first; ingest keeps running)",
        kind: .statements(StatementFix(generator: """
            SELECT format('%I.%I.%I', n.nspname, cl.relname, c.conname) AS object,
                   format('CREATE INDEX CONCURRENTLY ON %I.%I (%s)', n.nspname, cl.relname, \(foreignKeyColumns)) AS statement
            FROM (\(foreignKeysWithoutIndex)) f
            JOIN pg_catalog.pg_namespace n ON n.nspname = f.schema
            JOIN pg_catalog.pg_class cl ON cl.relnamespace = n.oid AND cl.relname = f."table"
            JOIN pg_catalog.pg_constraint c ON c.conrelid = cl.oid AND c.conname = f.constraint
            ORDER BY 1
            """, transactional: false)))
}
