import CurateKit

/// The run history of `\check` in curate's own schema (the fix audit's: `CURATE_AUDIT_SCHEMA`,
/// default `curate`): `check_run`, one row per `\check` run, and `check_result`, one row per
/// check of a run, indexed on (check_name, at) for `\check --history`.
public struct CheckHistoryStore {
    public let session: Session
    /// The schema, as given (unquoted).
    public let schema: String

    public init(session: Session, schema: String) {
        self.session = session
        self.schema = schema
    }

    /// The schema from the shell variable, as the fix audit reads it.
    public static func schemaName(_ variables: Variables) -> String {
        let value = variables["CURATE_AUDIT_SCHEMA"] ?? ""
        return value.isEmpty ? "curate" : value
    }

    var s: String { session.quoteIdentifier(schema) }
    public var runTable: String { s + ".check_run" }
    public var resultTable: String { s + ".check_result" }

    /// True when both tables exist.
    public func exists() throws -> Bool {
        let found = try session.execute("SELECT pg_catalog.to_regclass($1) IS NOT NULL AND pg_catalog.to_regclass($2) IS NOT NULL",
                                        [runTable, resultTable])
        return found.rows.first?[0] == "t"
    }

    public static func ddl(schema s: String) -> [String] {
        [
            "CREATE SCHEMA IF NOT EXISTS \(s)",
            """
            CREATE TABLE IF NOT EXISTS \(s).check_run (
                id              bigserial PRIMARY KEY,
                at              timestamptz NOT NULL DEFAULT now(),
                database_user   text NOT NULL DEFAULT current_user,
                os_user         text,
                curate_version  text NOT NULL,
                status          text NOT NULL,
                duration_ms     double precision NOT NULL
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS \(s).check_result (
                run_id          bigint NOT NULL REFERENCES \(s).check_run (id) ON DELETE CASCADE,
                at              timestamptz NOT NULL,
                check_name      text NOT NULL,
                pack            text NOT NULL,
                pack_version    text NOT NULL,
                severity        text NOT NULL,
                status          text NOT NULL,
                finding_count   bigint,
                duration_ms     double precision NOT NULL,
                reason          text,
                finding_keys    text[] NOT NULL DEFAULT '{}',
                keys_truncated  boolean NOT NULL DEFAULT false,
                PRIMARY KEY (run_id, check_name)
            )
            """,
            "CREATE INDEX IF NOT EXISTS check_result_check_at ON \(s).check_result (check_name, at)",
            "COMMENT ON TABLE \(s).check_run IS 'curate: one record per \\check run, written outside the user''s transaction'",
        ]
    }

    /// Creates the tables (in a savepoint or a transaction of their own). The schema may be the
    /// fix audit's already: then it is not created again (no "already exists" notice).
    public func create() throws {
        try session.transaction {
            let schemaExists = try session.execute("SELECT pg_catalog.to_regnamespace($1) IS NOT NULL", [s]).rows.first?[0] == "t"
            for statement in Self.ddl(schema: s) where !(schemaExists && statement.hasPrefix("CREATE SCHEMA")) {
                try session.execute(statement)
            }
        }
    }

    /// Writes `record` in one statement; returns the run's id.
    @discardableResult
    public func insert(_ record: CheckRunRecord) throws -> Int64 {
        let result = try session.execute("""
            WITH run AS (
                INSERT INTO \(runTable) (os_user, curate_version, status, duration_ms)
                VALUES ($1, $2, $3, $4::double precision) RETURNING id, at
            ), results AS (
                INSERT INTO \(resultTable) (run_id, at, check_name, pack, pack_version, severity, status, finding_count,
                                           duration_ms, reason, finding_keys, keys_truncated)
                SELECT run.id, run.at, r.check_name, r.pack, r.pack_version, r.severity, r.status, r.finding_count,
                       r.duration_ms, r.reason, COALESCE(r.finding_keys, '{}'), COALESCE(r.keys_truncated, false)
                FROM run, pg_catalog.jsonb_to_recordset($5::jsonb) AS r(
                    check_name text, pack text, pack_version text, severity text, status text, finding_count bigint,
                    duration_ms double precision, reason text, finding_keys text[], keys_truncated boolean)
            )
            SELECT id FROM run
            """, [record.osUser, record.curateVersion, record.status, CheckReport.milliseconds(record.durationMS), record.resultsJSON])
        return Int64(result.rows.first?[0] ?? "0") ?? 0
    }

    // MARK: Reading

    /// `\check --history`: the runs of `checks` (all when empty) since `since` (an interval;
    /// nil: all), oldest first per check, with the change in findings since the run before
    /// (also when that run is older than `since`).
    public func historySQL() -> String {
        """
        SELECT run_id AS run, date_trunc('second', at) AS at, check_name AS "check", pack, status,
               finding_count AS findings, change, round(duration_ms::numeric, 1) AS ms
        FROM (
            -- Only the columns shown: the keys' arrays stay where they are.
            SELECT r.run_id, r.at, r.check_name, r.pack, r.status, r.finding_count, r.duration_ms,
                   r.finding_count - lag(r.finding_count) OVER (PARTITION BY r.check_name ORDER BY r.at, r.run_id) AS change
            FROM \(resultTable) r
            WHERE (cardinality($1::text[]) = 0 OR r.check_name = ANY ($1::text[]))
        ) h
        WHERE $2::interval IS NULL OR h.at >= pg_catalog.now() - $2::interval
        ORDER BY h.check_name, h.at, h.run_id  -- the window's order: no second sort
        """
    }

    /// `\check --diff`: for each check, the finding keys of its last run that counted (passed or
    /// findings) against the run before: new, still there, gone.
    public func diffSQL() -> String {
        """
        WITH ranked AS (
            -- Numbered without the keys' arrays; only the two runs compared fetch theirs.
            SELECT r.check_name, r.run_id,
                   row_number() OVER (PARTITION BY r.check_name ORDER BY r.at DESC, r.run_id DESC) AS n
            FROM \(resultTable) r
            WHERE r.status IN ('passed', 'findings')
              AND (cardinality($1::text[]) = 0 OR r.check_name = ANY ($1::text[]))
        ), picked AS (
            SELECT k.check_name, k.n, x.run_id, x.finding_keys, x.keys_truncated
            FROM ranked k JOIN \(resultTable) x ON x.run_id = k.run_id AND x.check_name = k.check_name
            WHERE k.n <= 2
        ), last AS (SELECT * FROM picked WHERE n = 1), previous AS (SELECT * FROM picked WHERE n = 2)
        SELECT l.check_name AS "check", COALESCE(k.now_key, k.before_key) AS key,
               CASE WHEN k.before_key IS NULL THEN 'new' WHEN k.now_key IS NULL THEN 'gone' ELSE 'still there' END AS change,
               p.run_id AS previous_run, l.run_id AS last_run,
               l.keys_truncated OR COALESCE(p.keys_truncated, false) AS truncated
        FROM last l
        LEFT JOIN previous p ON p.check_name = l.check_name
        LEFT JOIN LATERAL (
            SELECT a.key AS now_key, b.key AS before_key
            FROM (SELECT DISTINCT unnest(l.finding_keys) AS key) a
            FULL JOIN (SELECT DISTINCT unnest(COALESCE(p.finding_keys, '{}')) AS key) b ON a.key = b.key
        ) k ON true
        ORDER BY 1, CASE WHEN k.before_key IS NULL THEN 0 WHEN k.now_key IS NULL THEN 2 ELSE 1 END, 2
        """
    }

    /// The last recorded result of each check (for the report and the metrics), by check name.
    public func latestResults() throws -> QueryResult {
        try session.execute("""
            SELECT DISTINCT ON (check_name) check_name, pack, pack_version, severity, status, finding_count, duration_ms,
                   reason, run_id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), finding_keys, keys_truncated
            FROM \(resultTable) ORDER BY check_name, at DESC, run_id DESC
            """)
    }

    /// Every recorded count of each check, oldest first: (check, epoch seconds, count or NULL, status).
    public func series() throws -> QueryResult {
        try session.execute("""
            SELECT check_name, extract(epoch FROM at)::float8, finding_count, status
            FROM \(resultTable) ORDER BY check_name, at, run_id
            """)
    }
}
