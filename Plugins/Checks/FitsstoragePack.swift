import CurateKit

/// The `fitsstorage` pack: the rules of a FitsStorage archive's file, diskfile, header and
/// ingestqueue tables. Active when those tables exist.
public enum FitsstoragePack {
    /// How many key ranges the diskfile scan is cut into (see `diskfileScanSQL`).
    static let diskfileScanChunks = 8

    /// The one pass over diskfile grouped by file_id that serves duplicate-canonical,
    /// duplicate-present, present-not-canonical and no-canonical.
    ///
    /// 1. Per file: counts of diskfiles, canonical and present ones, and whether one is present
    ///    but not canonical, by a GroupAggregate over the file_id index (already in file_id
    ///    order: no sort, no hash table of a million groups); only files with a problem leave it.
    ///    The file_id range (`$1` = min, `$2` = max, from `parametersSQL`) is cut into
    ///    `chunks` ranges, one UNION ALL branch each (the first and last open-ended, so every
    ///    row is covered whatever the bounds), so that a Parallel Append shares them between
    ///    the parallel workers.
    /// 2. Only those files' diskfile rows and names are then read, by index.
    static func diskfileScanSQL(chunks: Int) -> String {
        let low = "COALESCE($1::bigint, 0)", high = "COALESCE($2::bigint, 0)"
        func bound(_ k: Int) -> String { "\(low) + (\(high) - \(low) + 1) * \(k) / \(chunks)" }
        let branches = (0..<chunks).map { k -> String in
            var range: [String] = []
            if k > 0 { range.append("file_id >= \(bound(k))") }
            if k < chunks - 1 { range.append("file_id < \(bound(k + 1))") }
            return """
                    SELECT file_id, count(*) AS n_diskfiles,
                           count(*) FILTER (WHERE canonical) AS n_canonical,
                           count(*) FILTER (WHERE present) AS n_present,
                           max(id) AS latest_id
                    FROM diskfile\(range.isEmpty ? "" : " WHERE " + range.joined(separator: " AND "))
                    GROUP BY file_id
                    HAVING count(*) FILTER (WHERE canonical) <> 1
                        OR count(*) FILTER (WHERE present) > 1
                        OR bool_or(present AND NOT canonical)
                """
        }
        return """
            SELECT c."check", d.id AS diskfile_id, g.file_id, f.name AS file_name,
                   d.canonical, d.present, d.entrytime, g.n_diskfiles, g.n_canonical, g.n_present
            FROM (
            \(branches.joined(separator: "\n    UNION ALL\n"))
            ) g
            JOIN file f ON f.id = g.file_id
            JOIN diskfile d ON d.file_id = g.file_id
            CROSS JOIN LATERAL (VALUES
                ('duplicate-canonical', d.canonical AND g.n_canonical > 1),
                ('duplicate-present', d.present AND g.n_present > 1),
                ('present-not-canonical', d.present AND NOT d.canonical),
                ('no-canonical', g.n_canonical = 0 AND d.id = g.latest_id)
            ) AS c("check", hit)
            WHERE c.hit
            ORDER BY c."check", d.id
            """
    }

    static let diskfileScan = SharedScan(
        name: "diskfile-by-file",
        sql: diskfileScanSQL(chunks: diskfileScanChunks),
        requiredTables: ["diskfile", "file"],
        // Two index endpoint look-ups: the file_id range to cut into chunks.
        parametersSQL: "SELECT (SELECT min(file_id) FROM diskfile), (SELECT max(file_id) FROM diskfile)",
        settings: [
            // A large estimated cost would switch JIT compilation on: ~0.2 s of compiling for a
            // query that runs in less.
            QuerySetting("jit", "off"),
            // The planner cannot know that few files have problems (HAVING is estimated at a
            // third of the groups): tell it that shipping the branch results from the parallel
            // workers is cheap, and that files are looked up by index, not by hashing or
            // merging the whole file or diskfile table.
            QuerySetting("parallel_setup_cost", "10"),
            QuerySetting("parallel_tuple_cost", "0.001"),
            QuerySetting("enable_hashjoin", "off"),
            QuerySetting("enable_mergejoin", "off"),
            // The final sort of the findings in memory.
            QuerySetting("work_mem", "64MB"),
        ]
    )

    /// SQL returning the name of a valid unique index on `table (columns)` whose predicate is
    /// one of `predicates` (or none), i.e. an index that makes the database hold the rule.
    static func uniqueIndexDetector(table: String, columns: [String], predicates: [String]) -> String {
        let columnList = columns.map { "'\($0)'" }.joined(separator: ", ")
        let predicateList = predicates.map { "'\($0)'" }.joined(separator: ", ")
        return """
            SELECT i.indexrelid::regclass::text AS index
            FROM pg_catalog.pg_index i
            WHERE i.indrelid = pg_catalog.to_regclass('\(table)') AND i.indisunique AND i.indisvalid
              AND i.indexprs IS NULL
              AND i.indkey::text = (SELECT string_agg(a.attnum::text, ' ' ORDER BY k.n)
                                    FROM unnest(ARRAY[\(columnList)]) WITH ORDINALITY AS k(name, n)
                                    JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attname = k.name)
              AND (i.indpred IS NULL OR pg_catalog.pg_get_expr(i.indpred, i.indrelid) IN (\(predicateList)))
            ORDER BY 1 LIMIT 1
            """
    }

    static let stuckAfter = CheckParameter(
        variable: "CURATE_QUEUE_STUCK_AFTER", defaultValue: "6 hours",
        description: "how long an ingestqueue entry may stay in progress (an interval)")
    static let now = CheckParameter(
        variable: "CURATE_CHECK_NOW", defaultValue: nil,
        description: "the time the queue checks compare with (a timestamp; default: now)")

    public static let checks: [CheckDefinition] = [
        CheckDefinition(
            name: "duplicate-canonical", pack: "fitsstorage", severity: .error,
            description: "more than one canonical diskfile for a file_id",
            requiredTables: ["diskfile", "file"],
            query: .shared(scan: "diskfile-by-file",
                           columns: ["diskfile_id", "file_id", "file_name", "present", "entrytime", "n_canonical"]),
            hardening: Hardening(
                summary: "a partial unique index: at most one canonical diskfile per file_id",
                createSQL: "CREATE UNIQUE INDEX CONCURRENTLY diskfile_one_canonical_per_file ON diskfile (file_id) WHERE canonical",
                indexName: "diskfile_one_canonical_per_file",
                detectSQL: uniqueIndexDetector(table: "diskfile", columns: ["file_id"], predicates: ["canonical", "(canonical = true)"]))),
        CheckDefinition(
            name: "duplicate-present", pack: "fitsstorage", severity: .error,
            description: "more than one present diskfile for a file_id",
            requiredTables: ["diskfile", "file"],
            query: .shared(scan: "diskfile-by-file",
                           columns: ["diskfile_id", "file_id", "file_name", "canonical", "entrytime", "n_present"]),
            hardening: Hardening(
                summary: "a partial unique index: at most one present diskfile per file_id",
                createSQL: "CREATE UNIQUE INDEX CONCURRENTLY diskfile_one_present_per_file ON diskfile (file_id) WHERE present",
                indexName: "diskfile_one_present_per_file",
                detectSQL: uniqueIndexDetector(table: "diskfile", columns: ["file_id"], predicates: ["present", "(present = true)"]))),
        CheckDefinition(
            name: "present-not-canonical", pack: "fitsstorage", severity: .warning,
            description: "a diskfile that is present but not canonical",
            requiredTables: ["diskfile", "file"],
            query: .shared(scan: "diskfile-by-file",
                           columns: ["diskfile_id", "file_id", "file_name", "entrytime", "n_canonical"])),
        CheckDefinition(
            name: "no-canonical", pack: "fitsstorage", severity: .warning,
            description: "a file whose diskfiles include none canonical",
            requiredTables: ["diskfile", "file"],
            query: .shared(scan: "diskfile-by-file",
                           columns: ["file_id", "file_name", "n_diskfiles", "diskfile_id", "present"])),
        CheckDefinition(
            name: "orphan-file", pack: "fitsstorage", severity: .info,
            description: "a file with no diskfile at all",
            requiredTables: ["diskfile", "file"],
            // A merge anti-join of the two id indexes (index-only, no hash table of a million
            // ids); names are read for the orphans alone.
            query: .sql("""
                SELECT o.id AS file_id, (SELECT f.name FROM file f WHERE f.id = o.id) AS file_name
                FROM (SELECT f.id FROM file f WHERE NOT EXISTS (SELECT FROM diskfile d WHERE d.file_id = f.id)) o
                ORDER BY o.id
                """),
            settings: [QuerySetting("jit", "off"), QuerySetting("enable_hashjoin", "off")]),
        CheckDefinition(
            name: "header-duplicate", pack: "fitsstorage", severity: .warning,
            description: "more than one header row for one diskfile",
            requiredTables: ["header"],
            // Counted on the diskfile_id index alone (index-only); the header ids are read for
            // the duplicates alone.
            query: .sql("""
                SELECT g.diskfile_id, g.headers, h.first_header_id, h.last_header_id
                FROM (SELECT diskfile_id, count(*) AS headers FROM header GROUP BY diskfile_id HAVING count(*) > 1) g
                CROSS JOIN LATERAL (SELECT min(x.id) AS first_header_id, max(x.id) AS last_header_id
                                    FROM header x WHERE x.diskfile_id = g.diskfile_id) h
                ORDER BY g.diskfile_id
                """),
            settings: [QuerySetting("jit", "off")]),
        CheckDefinition(
            name: "queue-stuck", pack: "fitsstorage", severity: .warning,
            description: "ingestqueue entries in progress longer than CURATE_QUEUE_STUCK_AFTER (6 hours)",
            requiredTables: ["ingestqueue"],
            query: .sql("""
                SELECT q.id, q.filename, q.path, q.added,
                       COALESCE($2::timestamp, LOCALTIMESTAMP) - q.added AS in_progress_for
                FROM ingestqueue q
                WHERE q.inprogress AND q.added < COALESCE($2::timestamp, LOCALTIMESTAMP) - $1::interval
                ORDER BY q.id
                """),
            parameters: [stuckAfter, now]),
        CheckDefinition(
            name: "queue-duplicate-inprogress", pack: "fitsstorage", severity: .error,
            description: "two in-progress ingestqueue entries for the same filename and path (the ingest race)",
            requiredTables: ["ingestqueue"],
            query: .sql("""
                SELECT q.id, q.filename, q.path, q.added
                FROM ingestqueue q
                JOIN (SELECT filename, path FROM ingestqueue WHERE inprogress
                      GROUP BY filename, path HAVING count(*) > 1) d
                  ON d.filename = q.filename AND d.path = q.path
                WHERE q.inprogress
                ORDER BY q.filename, q.path, q.id
                """),
            hardening: Hardening(
                summary: "a partial unique index: at most one in-progress entry per filename and path",
                createSQL: "CREATE UNIQUE INDEX CONCURRENTLY ingestqueue_one_inprogress ON ingestqueue (filename, path) WHERE inprogress",
                indexName: "ingestqueue_one_inprogress",
                detectSQL: uniqueIndexDetector(table: "ingestqueue", columns: ["filename", "path"], predicates: ["inprogress", "(inprogress = true)"]))),
    ]

    /// Keep the newest diskfile (latest entrytime, then highest id) among the rows where `flag`
    /// is true, for every file with more than one; the others get present = false, canonical = false.
    static func keepNewest(_ flag: String) -> RowFix {
        RowFix(
            table: "diskfile", key: "id", scopeType: "integer", setColumns: ["present", "canonical"],
            lock: """
                SELECT d.file_id AS scope
                FROM diskfile d JOIN file f ON f.id = d.file_id
                WHERE d.file_id IN (SELECT x.file_id FROM diskfile x WHERE x.\(flag)
                                    GROUP BY x.file_id HAVING count(*) > 1 AND bool_or({where x}))
                ORDER BY d.file_id, d.id
                FOR UPDATE OF d, f
                """,
            target: """
                SELECT x.id, false AS present, false AS canonical
                FROM (SELECT d.id, row_number() OVER (PARTITION BY d.file_id
                                                      ORDER BY d.entrytime DESC NULLS LAST, d.id DESC) AS rn
                      FROM diskfile d
                      WHERE d.\(flag) AND d.file_id = ANY($1::integer[])) x
                WHERE x.rn > 1
                """,
            explain: keptExplanation(flag))
    }

    public static let fixes: [FixDefinition] = [
        FixDefinition(
            check: "duplicate-canonical",
            summary: "keep the newest canonical diskfile of each file (latest entrytime, then highest id); set present = false, canonical = false on the others",
            kind: .rows(keepNewest("canonical"))),
        FixDefinition(
            check: "duplicate-present",
            summary: "keep the newest present diskfile of each file (latest entrytime, then highest id); set present = false, canonical = false on the others",
            kind: .rows(keepNewest("present"))),
        FixDefinition(
            check: "present-not-canonical",
            summary: "if the file has no canonical diskfile, make the newest such row canonical; otherwise set it not present",
            kind: .rows(RowFix(
                table: "diskfile", key: "id", scopeType: "integer", setColumns: ["present", "canonical"],
                lock: """
                    SELECT d.file_id AS scope
                    FROM diskfile d JOIN file f ON f.id = d.file_id
                    WHERE d.file_id IN (SELECT x.file_id FROM diskfile x WHERE x.present AND NOT x.canonical AND {where x})
                    ORDER BY d.file_id, d.id
                    FOR UPDATE OF d, f
                    """,
                target: """
                    WITH rows AS (
                        SELECT d.id, d.file_id, d.present, d.canonical, d.entrytime
                        FROM diskfile d WHERE d.file_id = ANY($1::integer[])
                    ), files AS (
                        SELECT file_id, COALESCE(bool_or(canonical), false) AS has_canonical FROM rows GROUP BY file_id
                    ), pnc AS (
                        SELECT r.id, r.present, r.canonical, f.has_canonical,
                               row_number() OVER (PARTITION BY r.file_id ORDER BY r.entrytime DESC NULLS LAST, r.id DESC) AS rn
                        FROM rows r JOIN files f ON f.file_id = r.file_id
                        WHERE r.present AND NOT r.canonical
                    )
                    SELECT id,
                           CASE WHEN has_canonical OR rn > 1 THEN false ELSE present END AS present,
                           CASE WHEN NOT has_canonical AND rn = 1 THEN true ELSE canonical END AS canonical
                    FROM pnc
                    """,
                explain: canonicalExplanation))),
        FixDefinition(
            check: "queue-stuck",
            summary: "clear inprogress on the stuck entries so that the ingest queue retries them",
            kind: .rows(RowFix(
                table: "ingestqueue", key: "id", scopeType: "integer", setColumns: ["inprogress"],
                lock: """
                    SELECT q.id AS scope FROM ingestqueue q
                    WHERE q.inprogress AND q.added < COALESCE($2::timestamp, LOCALTIMESTAMP) - $1::interval AND {where q}
                    ORDER BY q.id FOR UPDATE
                    """,
                target: """
                    SELECT q.id, false AS inprogress FROM ingestqueue q
                    WHERE q.id = ANY($1::integer[]) AND q.inprogress
                      AND q.added < COALESCE($3::timestamp, LOCALTIMESTAMP) - $2::interval
                    """,
                explain: queueExplanation)),
            parameters: [stuckAfter, now]),
        FixDefinition(
            check: "no-canonical",
            summary: "no safe automatic repair: which version should be canonical needs a person (make one canonical with UPDATE, then run \\check)",
            kind: .none("which diskfile should become canonical needs a person: inspect the file's diskfiles and set one canonical by hand")),
        FixDefinition(
            check: "orphan-file",
            summary: "no safe automatic repair: re-ingest the file or delete the file row by hand",
            kind: .none("a file without diskfile needs re-ingesting or deleting; curate will not guess which")),
        FixDefinition(
            check: "header-duplicate",
            summary: "no safe automatic repair: compare the header rows and delete the surplus by hand",
            kind: .none("the duplicate header rows may differ; compare them and delete the surplus by hand")),
        FixDefinition(
            check: "queue-duplicate-inprogress",
            summary: "no safe automatic repair while an ingest may be running; stop the ingest, clear one entry, then `\\fix harden queue-duplicate-inprogress`",
            kind: .none("an ingest may be working on these entries; stop it, clear one entry by hand, then harden")),
    ]

    public static let pack = CheckPack(
        name: "fitsstorage",
        description: "FitsStorage archive: file, diskfile, header, ingestqueue",
        checks: checksNamingRows, fixes: fixes, sharedScans: [diskfileScan], relations: relations)
}
