/// The `postgres` pack: faults any PostgreSQL database can have.
public enum PostgresPack {
    static let userSchemas = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast' AND n.nspname !~ '^pg_temp'"

    static let invalidIndexes = """
        SELECT n.nspname AS schema, c.relname AS index, t.relname AS "table",
               pg_catalog.pg_get_indexdef(i.indexrelid) AS definition
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
        JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT i.indisvalid
        """

    static let notValidConstraints = """
        SELECT n.nspname AS schema, cl.relname AS "table", c.conname AS constraint,
               c.contype::text AS type, pg_catalog.pg_get_constraintdef(c.oid) AS definition
        FROM pg_catalog.pg_constraint c
        JOIN pg_catalog.pg_class cl ON cl.oid = c.conrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = cl.relnamespace
        WHERE NOT c.convalidated
        """

    /// Writes the statement over every sequence owned by a column (serial or identity): the CTE
    /// `w` with each sequence's values and its column's maximum (a `max` per table, so the text
    /// is written by this query and then run), followed by `tail`, which selects from `w`.
    static func sequencesWriter(then tail: String) -> String {
        """
        WITH owned AS (
            SELECT sn.nspname AS seq_schema, s.relname AS seq_name,
                   tn.nspname AS tbl_schema, t.relname AS tbl_name, a.attname AS col
            FROM pg_catalog.pg_depend d
            JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
            JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
            JOIN pg_catalog.pg_class t ON t.oid = d.refobjid AND t.relkind IN ('r', 'p')
            JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
            JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
            WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass
              AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
        )
        SELECT 'WITH v AS ('
            || COALESCE(string_agg(format(
                   'SELECT %L::name AS seq_schema, %L::name AS seq_name, %L::name AS tbl_schema, %L::name AS tbl_name, '
                   || '%L::name AS col, %L::bigint AS last_value, %L::bigint AS start_value, %L::bigint AS increment_by, '
                   || '%L::bigint AS max_value, (SELECT max(%I) FROM %I.%I)::numeric AS column_max',
                   o.seq_schema, o.seq_name, o.tbl_schema, o.tbl_name, o.col, ps.last_value, ps.start_value,
                   ps.increment_by, ps.max_value, o.col, o.tbl_schema, o.tbl_name), ' UNION ALL '),
                'SELECT NULL::name AS seq_schema, NULL::name AS seq_name, NULL::name AS tbl_schema, NULL::name AS tbl_name, '
                || 'NULL::name AS col, NULL::bigint AS last_value, NULL::bigint AS start_value, NULL::bigint AS increment_by, '
                || 'NULL::bigint AS max_value, NULL::numeric AS column_max WHERE false')
            || '), w AS (SELECT v.*, CASE WHEN v.last_value IS NULL THEN v.start_value '
            || 'ELSE v.last_value + v.increment_by END AS next_value FROM v) '
            || $tail$\(tail)$tail$
        FROM owned o
        JOIN pg_catalog.pg_sequences ps ON ps.schemaname = o.seq_schema AND ps.sequencename = o.seq_name
        WHERE ps.increment_by > 0
        """
    }

    static let sequenceProblems = sequencesWriter(then: """
        SELECT format('%I.%I', seq_schema, seq_name) AS sequence,
               format('%I.%I.%I', tbl_schema, tbl_name, col) AS "column",
               next_value, column_max, max_value,
               CASE WHEN column_max IS NOT NULL AND next_value <= column_max
                    THEN 'behind the column: its next value is already used'
                    ELSE 'near its maximum value' END AS problem
        FROM w
        WHERE (column_max IS NOT NULL AND next_value <= column_max)
           OR COALESCE(last_value, start_value) > max_value * 0.9
        ORDER BY 1
        """)

    /// Writes the statement that counts, for every foreign key, the rows pointing at nothing (a
    /// count per table, so the text is written by this query and then run).
    static let foreignKeyOrphans = """
        WITH fk AS (
            SELECT c.conname, c.conrelid, c.confrelid,
                   (SELECT string_agg(format('c.%I IS NOT NULL', a.attname), ' AND ' ORDER BY k.n)
                    FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS not_null,
                   (SELECT string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' AND ' ORDER BY k.n)
                    FROM unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(ck, pk, n)
                    JOIN pg_catalog.pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = k.ck
                    JOIN pg_catalog.pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pk) AS join_on,
                   (SELECT string_agg(format('c.%I', a.attname), ', ' ORDER BY k.n)
                    FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS cols
            FROM pg_catalog.pg_constraint c
            WHERE c.contype = 'f' AND c.conparentid = 0
        )
        SELECT 'SELECT * FROM ('
            || COALESCE(string_agg(format(
                   'SELECT %L::text AS "table", %L::text AS constraint, %L::text AS referenced, count(*) AS orphans, '
                   || 'min(row(%s)::text) AS example_key FROM %s c WHERE %s AND NOT EXISTS (SELECT FROM %s p WHERE %s)',
                   fk.conrelid::regclass::text, fk.conname, fk.confrelid::regclass::text,
                   fk.cols, fk.conrelid::regclass, fk.not_null, fk.confrelid::regclass, fk.join_on), ' UNION ALL '),
                'SELECT NULL::text AS "table", NULL::text AS constraint, NULL::text AS referenced, 0::bigint AS orphans, '
                || 'NULL::text AS example_key WHERE false')
            || ') o WHERE orphans > 0 ORDER BY 1, 2'
        FROM fk
        """

    public static let checks: [CheckDefinition] = [
        CheckDefinition(
            name: "invalid-index", pack: "postgres", severity: .error,
            description: "an index left invalid (a failed CREATE INDEX CONCURRENTLY): not used, still maintained",
            query: .sql(invalidIndexes + " ORDER BY 1, 2")),
        CheckDefinition(
            name: "not-valid-constraint", pack: "postgres", severity: .warning,
            description: "a constraint added NOT VALID and never validated: old rows may break it",
            query: .sql(notValidConstraints + " ORDER BY 1, 2, 3")),
        CheckDefinition(
            name: "sequence-behind", pack: "postgres", severity: .error,
            description: "a sequence whose next value is already in its column, or near its maximum",
            query: .written(by: sequenceProblems)),
        CheckDefinition(
            name: "fk-orphan", pack: "postgres", severity: .error,
            description: "rows whose foreign key points at nothing (checked for every foreign key)",
            query: .written(by: foreignKeyOrphans)),
        CheckDefinition(
            name: "disabled-trigger", pack: "postgres", severity: .warning,
            description: "a disabled trigger (a disabled foreign-key trigger lets orphans in)",
            query: .sql("""
                SELECT n.nspname AS schema, c.relname AS "table", t.tgname AS trigger,
                       CASE WHEN t.tgisinternal THEN 'internal (constraint)' ELSE 'user' END AS kind
                FROM pg_catalog.pg_trigger t
                JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE t.tgenabled = 'D'
                ORDER BY 1, 2, 3
                """)),
        CheckDefinition(
            name: "no-primary-key", pack: "postgres", severity: .info,
            description: "a table without a primary key or any unique index",
            query: .sql("""
                SELECT n.nspname AS schema, c.relname AS "table", c.reltuples::bigint AS estimated_rows
                FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND \(userSchemas)
                  AND NOT EXISTS (SELECT FROM pg_catalog.pg_index i
                                  WHERE i.indrelid = c.oid AND i.indisunique AND i.indisvalid AND i.indpred IS NULL)
                ORDER BY 1, 2
                """)),
        CheckDefinition(
            name: "collation-drift", pack: "postgres", severity: .warning,
            description: "the operating system's collation version differs from the recorded one: text indexes may be corrupt",
            minimumServerVersion: 150000,
            query: .sql("""
                SELECT 'database ' || d.datname AS object, d.datcollversion AS recorded_version,
                       pg_catalog.pg_database_collation_actual_version(d.oid) AS actual_version
                FROM pg_catalog.pg_database d
                WHERE d.datname = current_database()
                  AND d.datcollversion IS DISTINCT FROM pg_catalog.pg_database_collation_actual_version(d.oid)
                UNION ALL
                SELECT 'collation ' || c.collname, c.collversion, pg_catalog.pg_collation_actual_version(c.oid)
                FROM pg_catalog.pg_collation c
                WHERE c.collversion IS NOT NULL
                  AND c.collversion IS DISTINCT FROM pg_catalog.pg_collation_actual_version(c.oid)
                ORDER BY 1
                """)),
        CheckDefinition(
            name: "xid-wraparound", pack: "postgres", severity: .error,
            description: "a database whose transaction-ID (or multixact) age nears wraparound (CURATE_XID_AGE_LIMIT, 1 billion)",
            query: .sql("""
                SELECT datname AS database, age(datfrozenxid) AS xid_age, mxid_age(datminmxid) AS multixact_age
                FROM pg_catalog.pg_database
                WHERE age(datfrozenxid) > $1::bigint OR mxid_age(datminmxid) > $1::bigint
                ORDER BY 2 DESC
                """),
            parameters: [CheckParameter(variable: "CURATE_XID_AGE_LIMIT", defaultValue: "1000000000",
                                        description: "transaction-ID age above which a database is reported")]),
        CheckDefinition(
            name: "amcheck-btree", pack: "postgres", severity: .error,
            description: "B-tree index corruption, through amcheck's bt_index_check (with heapallindexed)",
            requiredExtension: "amcheck",
            query: .perObject(
                list: """
                    SELECT c.oid::regclass::text AS index
                    FROM pg_catalog.pg_index i
                    JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
                    JOIN pg_catalog.pg_am am ON am.oid = c.relam
                    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                    WHERE am.amname = 'btree' AND i.indisvalid AND i.indisready AND c.relpersistence <> 't'
                      AND \(userSchemas)
                    ORDER BY 1
                    """,
                probe: "SELECT NULL::text AS problem FROM bt_index_check($1::regclass, true)",
                findingStates: ["XX001", "XX002"])),
        CheckDefinition(
            name: "amcheck-heap", pack: "postgres", severity: .error,
            description: "heap (table) corruption, through amcheck's verify_heapam",
            requiredExtension: "amcheck", minimumServerVersion: 140000,
            query: .perObject(
                list: """
                    SELECT c.oid::regclass::text AS "table"
                    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind IN ('r', 'm') AND c.relpersistence <> 't' AND \(userSchemas)
                    ORDER BY 1
                    """,
                probe: """
                    SELECT format('block %s, offset %s%s: %s', blkno, offnum,
                                  CASE WHEN attnum IS NULL THEN '' ELSE ', attribute ' || attnum END, msg) AS problem
                    FROM verify_heapam($1::regclass)
                    """,
                findingStates: ["XX001", "XX002"])),
    ]

    public static let fixes: [FixDefinition] = [
        FixDefinition(
            check: "invalid-index",
            summary: "REINDEX INDEX CONCURRENTLY each invalid index (outside a transaction; asked first)",
            kind: .statements(StatementFix(generator: """
                SELECT format('%I.%I', n.nspname, c.relname) AS object,
                       format('REINDEX INDEX CONCURRENTLY %I.%I', n.nspname, c.relname) AS statement
                FROM pg_catalog.pg_index i
                JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE NOT i.indisvalid
                ORDER BY 1
                """, transactional: false))),
        FixDefinition(
            check: "not-valid-constraint",
            summary: "ALTER TABLE ... VALIDATE CONSTRAINT (fails, changing nothing, if a row breaks it)",
            kind: .statements(StatementFix(generator: """
                SELECT format('%I.%I.%I', n.nspname, cl.relname, c.conname) AS object,
                       format('ALTER TABLE %I.%I VALIDATE CONSTRAINT %I', n.nspname, cl.relname, c.conname) AS statement
                FROM pg_catalog.pg_constraint c
                JOIN pg_catalog.pg_class cl ON cl.oid = c.conrelid
                JOIN pg_catalog.pg_namespace n ON n.oid = cl.relnamespace
                WHERE NOT c.convalidated
                ORDER BY 1
                """, transactional: true))),
        FixDefinition(
            check: "sequence-behind",
            summary: "setval each lagging sequence to its column's maximum (the next value is then free)",
            kind: .statements(StatementFix(generatorWrittenBy: sequencesWriter(then: """
                SELECT format('%I.%I', seq_schema, seq_name) AS object,
                       format('SELECT pg_catalog.setval(%L, %s)', format('%I.%I', seq_schema, seq_name), column_max) AS statement
                FROM w WHERE column_max IS NOT NULL AND next_value <= column_max
                ORDER BY 1
                """), transactional: true))),
        FixDefinition(check: "fk-orphan", summary: "no safe automatic repair: restore the parent rows or delete the orphans by hand",
                      kind: .none("whether to restore the parent or delete the orphan needs a person")),
        FixDefinition(check: "disabled-trigger", summary: "no safe automatic repair: find out why it was disabled, ENABLE it, then run fk-orphan",
                      kind: .none("enable it with ALTER TABLE ... ENABLE TRIGGER once you know why it was disabled")),
        FixDefinition(check: "no-primary-key", summary: "no safe automatic repair: choose a key and add it",
                      kind: .none("choosing a key needs a person")),
        FixDefinition(check: "collation-drift", summary: "no safe automatic repair: REINDEX the text indexes, then ALTER DATABASE ... REFRESH COLLATION VERSION",
                      kind: .none("REINDEX the affected indexes, then ALTER DATABASE ... REFRESH COLLATION VERSION")),
        FixDefinition(check: "xid-wraparound", summary: "no safe automatic repair: VACUUM (FREEZE) the oldest tables",
                      kind: .none("run VACUUM (FREEZE) on the oldest tables, and look for old transactions or prepared transactions")),
        FixDefinition(check: "amcheck-btree", summary: "no safe automatic repair: REINDEX the index after finding the cause",
                      kind: .none("REINDEX the corrupt index once the cause (hardware, collation change) is understood")),
        FixDefinition(check: "amcheck-heap", summary: "no safe automatic repair: restore from a backup",
                      kind: .none("heap corruption needs a backup and an expert")),
    ]

    public static let pack = CheckPack(
        name: "postgres", description: "any PostgreSQL database: indexes, constraints, sequences, keys, triggers, collations, wraparound, amcheck",
        checks: markingPrimaryOnly(checks + [foreignKeyWithoutIndex]), fixes: fixes + [foreignKeyWithoutIndexFix])
}
