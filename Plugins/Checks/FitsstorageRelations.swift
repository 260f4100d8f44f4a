/// What the `fitsstorage` pack tells `\row` beyond its checks: the relations the FitsStorage
/// schema leaves undeclared, and how each check's findings name their rows.
extension FitsstoragePack {
    /// The archive joins these by name; no foreign key says so.
    static let relations: [DeclaredRelation] = [
        DeclaredRelation(table: "ingestqueue", columns: ["filename"], referencedTable: "file", referencedColumns: ["name"]),
        DeclaredRelation(table: "diskfile", columns: ["filename"], referencedTable: "file", referencedColumns: ["name"]),
    ]

    /// By check: the finding columns that name rows, the key column first for each table.
    static let rowNames: [String: [FindingRowName]] = [
        "duplicate-canonical": diskfileFinding,
        "duplicate-present": diskfileFinding,
        "present-not-canonical": diskfileFinding,
        "no-canonical": diskfileFinding,
        "orphan-file": [FindingRowName(column: "file_id", table: "file", tableColumn: "id")],
        "header-duplicate": [FindingRowName(column: "diskfile_id", table: "diskfile", tableColumn: "id")],
        "queue-stuck": [FindingRowName(column: "id", table: "ingestqueue", tableColumn: "id")],
        "queue-duplicate-inprogress": [FindingRowName(column: "id", table: "ingestqueue", tableColumn: "id")],
    ]

    static let diskfileFinding = [
        FindingRowName(column: "diskfile_id", table: "diskfile", tableColumn: "id"),
        FindingRowName(column: "file_id", table: "file", tableColumn: "id"),
    ]

    /// The checks with their row names.
    static var checksNamingRows: [CheckDefinition] {
        checks.map { check in
            var check = check
            check.rowNames = rowNames[check.name] ?? []
            return check
        }
    }
}

/// What a fix's preview says under its changes: the files by name, the row kept and why.
extension FitsstoragePack {
    static func keptExplanation(_ flag: String) -> String {
        """
        SELECT f.name AS file, k.id AS kept_diskfile, k.entrytime AS kept_entrytime,
               'the newest \(flag) diskfile: latest entrytime, then highest id' AS why,
               (SELECT string_agg(x.id::text, ', ' ORDER BY x.id) FROM diskfile x
                WHERE x.file_id = f.id AND x.id <> k.id) AS other_diskfiles
        FROM file f
        CROSS JOIN LATERAL (SELECT d.id, d.entrytime FROM diskfile d WHERE d.file_id = f.id AND d.\(flag)
                            ORDER BY d.entrytime DESC NULLS LAST, d.id DESC LIMIT 1) k
        WHERE f.id = ANY($1::integer[])
        ORDER BY f.name
        """
    }

    static let canonicalExplanation = """
        SELECT f.name AS file, k.id AS canonical_diskfile, k.entrytime AS canonical_entrytime,
               CASE WHEN k.id IS NULL THEN 'no canonical diskfile'
                    ELSE 'the canonical diskfile (made so when none was: the newest present one)' END AS why
        FROM file f
        LEFT JOIN LATERAL (SELECT d.id, d.entrytime FROM diskfile d WHERE d.file_id = f.id AND d.canonical
                           ORDER BY d.entrytime DESC NULLS LAST, d.id DESC LIMIT 1) k ON true
        WHERE f.id = ANY($1::integer[])
        ORDER BY f.name
        """

    static let queueExplanation = """
        SELECT q.filename AS file, q.id AS entry, q.added,
               'in progress since ' || q.added || ': the queue retries it' AS why
        FROM ingestqueue q WHERE q.id = ANY($1::integer[])
        ORDER BY q.filename, q.id
        """
}
