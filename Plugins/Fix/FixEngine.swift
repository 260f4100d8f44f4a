import CurateChecks
import CurateKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs fixes, undo, history and hardening in the shared session.
struct FixEngine {
    let context: CommandContext
    let catalog: CheckCatalog
    let options: FixOptions
    var session: Session { context.session }
    var console: Console { context.console }

    /// Where audit rows go in this run: the audit schema's table, or a temporary one
    /// (dry runs before the schema exists, `--no-audit`).
    var rowsTable = ""
    var auditTable: String? = nil
    /// `--from-standby`: the key values of the fix's table the standby run's findings name.
    var standbyKeys: [String]? = nil

    init(context: CommandContext, catalog: CheckCatalog, options: FixOptions) {
        self.context = context
        self.catalog = catalog
        self.options = options
    }

    var schemaName: String {
        let value = context.variables["CURATE_AUDIT_SCHEMA"] ?? ""
        return value.isEmpty ? "curate" : value
    }

    func intVariable(_ name: String, default value: Int) -> Int {
        context.variables[name].flatMap { Int($0) } ?? value
    }


    // MARK: Transactions

    /// Runs `body` atomically in the user's session. No transaction open: BEGIN, then the
    /// transaction is left open (or committed with --commit, rolled back with --dry-run). Inside
    /// the user's transaction: a savepoint. `body` returns false when it changed nothing.
    func atomically(_ body: () throws -> Bool) throws {
        switch session.transactionState {
        case .failed:
            throw CommandError("the current transaction has failed; nothing can run in it",
                               hint: "ROLLBACK (or ROLLBACK TO a savepoint) first")
        case .idle:
            let scope: TransactionScope
            do { scope = try TransactionScope.open(in: session) } catch { throw error.reported }
            let changed: Bool
            do {
                changed = try body()
            } catch {
                let failure = scope.fail(error)
                if error is Declined, failure.rollbackError == nil {
                    console.printError("Declined: rolled back, nothing changed.")
                    return
                }
                throw failure.reported
            }
            if !changed {
                do { try scope.rollBack() } catch { throw error.reported }
            } else if options.dryRun {
                do { try scope.rollBack() } catch { throw error.reported }
                console.printError("Dry run: rolled back, nothing changed.")
            } else if options.commit {
                do { try scope.commit() } catch { throw error.reported }
                console.printError("Committed.")
            } else {
                // Left open on purpose: the user commits or rolls back.
                console.printError("Not committed yet: the transaction is open. COMMIT to keep the fix and its audit record, ROLLBACK to discard both.")
            }
        case .inTransaction:
            if options.commit {
                throw CommandError("--commit would commit your open transaction too",
                                   hint: "leave out --commit and COMMIT your transaction yourself")
            }
            do {
                let changed = try session.savepoint { () throws -> Bool in
                    let changed = try body()
                    if options.dryRun && changed { throw DryRunDone() }
                    return changed
                }
                if changed { console.printError("Done inside your transaction: COMMIT or ROLLBACK it as you wish.") }
            } catch is DryRunDone {
                console.printError("Dry run: rolled back to the savepoint, nothing changed.")
            } catch is Declined {
                console.printError("Declined: rolled back to the savepoint, nothing changed.")
            }
        case .active, .unknown:
            throw CommandError("the session is not ready for a fix")
        }
    }

    // MARK: Audit

    func auditExists() throws -> Bool {
        let found = try session.execute("SELECT pg_catalog.to_regclass($1) IS NOT NULL AND pg_catalog.to_regclass($2) IS NOT NULL",
                                        [session.quoteIdentifier(schemaName) + ".audit", session.quoteIdentifier(schemaName) + ".audit_row"])
        return found.rows.first?[0] == "t"
    }

    static func auditDDL(schema s: String) -> [String] {
        [
            "CREATE SCHEMA IF NOT EXISTS \(s)",
            """
            CREATE TABLE IF NOT EXISTS \(s).audit (
                id            bigserial PRIMARY KEY,
                at            timestamptz NOT NULL DEFAULT now(),
                database_user text NOT NULL DEFAULT current_user,
                session_user_name text NOT NULL DEFAULT session_user,
                os_user       text,
                action        text NOT NULL,
                check_name    text NOT NULL,
                condition     text,
                sql           text NOT NULL,
                row_count     integer NOT NULL DEFAULT 0,
                undoes        bigint REFERENCES \(s).audit (id)
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS \(s).audit_row (
                audit_id   bigint NOT NULL REFERENCES \(s).audit (id) ON DELETE CASCADE,
                table_name text NOT NULL,
                key_column text NOT NULL,
                key        text NOT NULL,
                before     jsonb,
                after      jsonb,
                PRIMARY KEY (audit_id, table_name, key)
            )
            """,
            // \fix history and \row look records up by what undid them.
            "CREATE INDEX IF NOT EXISTS audit_undoes_idx ON \(s).audit (undoes)",
            "COMMENT ON TABLE \(s).audit IS '\(AuditLayout.curate.comment(version: AuditLayout.curate.currentVersion))'",
        ]
    }

    /// Makes sure fix records can be written: the audit schema (created on first use, asked
    /// first), or for a dry run / --no-audit a temporary table. Sets `auditTable`, `rowsTable`.
    ///
    /// A dry run records into the temporary table even when the audit schema exists: an insert
    /// into the real audit table would use up an id of its sequence (rolled back, the id is
    /// never reused), leaving a gap in the ids. `undo` reads the real records, so it keeps them.
    mutating func prepareAudit(readsRecords: Bool = false) throws {
        let s = session.quoteIdentifier(schemaName)
        if !(options.dryRun && !readsRecords), try auditExists() {
            // Tables an older curate made are brought up to date here, in this fix's transaction.
            if let upgraded = try AuditLayout.curate.upgrade(session: session, schema: s) { console.printError(upgraded) }
            auditTable = s + ".audit"
            rowsTable = s + ".audit_row"
            return
        }
        if options.noAudit || options.dryRun {
            try session.execute("""
                CREATE TEMPORARY TABLE IF NOT EXISTS curate_fix_rows (
                    audit_id bigint NOT NULL, table_name text NOT NULL, key_column text NOT NULL, key text NOT NULL,
                    before jsonb, after jsonb)
                """)
            auditTable = nil
            rowsTable = "pg_temp.curate_fix_rows"
            if options.noAudit && !options.dryRun {
                console.printError("WARNING: --no-audit: this fix leaves no audit record and cannot be undone with \\fix undo.")
            }
            return
        }
        guard try context.confirm("The audit schema \(s) does not exist. Create it (schema \(s), tables audit and audit_row)?", assumeYes: options.yes) else {
            throw CommandError("no audit table: the fix was not run",
                               hint: "answer yes to create \(s), or pass --no-audit to fix without an audit trail")
        }
        do {
            try session.savepoint {
                // The schema may hold the check run history already: no "already exists" notice.
                let schemaExists = try session.execute("SELECT pg_catalog.to_regnamespace($1) IS NOT NULL", [s]).rows.first?[0] == "t"
                for statement in Self.auditDDL(schema: s) where !(schemaExists && statement.hasPrefix("CREATE SCHEMA")) {
                    try session.execute(statement)
                }
            }
        } catch let error as ServerError {
            throw CommandError("cannot create the audit schema \(s): \(error.message); the fix was not run",
                               hint: "ask the database owner to create it, set CURATE_AUDIT_SCHEMA to a schema you may write, or pass --no-audit")
        }
        console.printError("Created the audit schema \(s).")
        auditTable = s + ".audit"
        rowsTable = s + ".audit_row"
    }

    var temporaryAuditCounter: Int64 { -Int64(getpid()) }

    /// Inserts the audit record; returns its id (negative when there is no audit table).
    func insertAudit(action: String, check: String, sql: String, undoes: Int64? = nil) throws -> Int64 {
        guard let auditTable else { return temporaryAuditCounter }
        let result = try session.execute("""
            INSERT INTO \(auditTable) (os_user, action, check_name, condition, sql, undoes)
            VALUES ($1, $2, $3, $4, $5, $6::bigint) RETURNING id
            """, [OperatingSystemUser.name, action, check, options.condition, sql, undoes.map(String.init)])
        return Int64(result.rows[0][0] ?? "0") ?? 0
    }

    func finishAudit(_ id: Int64) throws -> Int {
        let counted = try session.execute("SELECT count(*) FROM \(rowsTable) WHERE audit_id = $1", [String(id)])
        let count = Int(counted.rows.first?[0] ?? "0") ?? 0
        if let auditTable {
            try session.execute("UPDATE \(auditTable) SET row_count = $2 WHERE id = $1", [String(id), String(count)])
        }
        return count
    }

    // MARK: Fix

    mutating func fix(_ check: CheckDefinition) throws {
        guard let fix = catalog.fix(for: check.name) else {
            throw CommandError("\(check.name) has no safe automatic repair")
        }
        switch fix.kind {
        case .none(let reason):
            throw CommandError("\(check.name) has no safe automatic repair: \(reason)")
        case .rows(let rowFix):
            var me = self
            do {
                try atomically { try me.applyRowFix(check: check, fix: fix, rowFix: rowFix) }
            } catch let error as ServerError where Self.lockConflictStates.contains(error.sqlState) {
                // atomically has rolled the transaction (or the savepoint) back: nothing of the fix stays.
                throw lockConflict(error)
            }
        case .statements(let statementFix):
            if options.condition != nil { throw CommandError("--where does not apply to \(check.name)") }
            try applyStatementFix(check: check, fix: fix, statementFix: statementFix)
        }
    }

    // MARK: Row locks

    /// lock_not_available (lock_timeout ran out) and deadlock_detected.
    static let lockConflictStates: Set<String> = ["55P03", "40P01"]

    /// How long the fix waits for each row lock: the variable CURATE_FIX_LOCK_TIMEOUT
    /// (PostgreSQL's units: `500ms`, `5s`, `1min`; `0` waits without end), 5s by default.
    var lockTimeout: String {
        let value = (context.variables["CURATE_FIX_LOCK_TIMEOUT"] ?? "").filter { $0 != " " }
        return value.isEmpty ? "5s" : value
    }

    /// Sets lock_timeout for the rest of the fix's transaction (or savepoint: rolling it back
    /// restores the old value); returns the value it replaced, for `restoreLockTimeout`.
    func setLockTimeout() throws -> String? {
        let previous = try session.execute("SELECT pg_catalog.current_setting('lock_timeout')").rows.first?[0] ?? nil
        do {
            try session.execute("SELECT pg_catalog.set_config('lock_timeout', $1, true)", [lockTimeout])
        } catch let error as ServerError where error.sqlState == "22023" {
            throw CommandError("CURATE_FIX_LOCK_TIMEOUT=\(lockTimeout) is not a valid lock timeout: \(error.message)",
                               hint: "a duration such as 500ms, 5s or 1min (0 waits without end)")
        }
        return previous
    }

    /// Puts back the lock_timeout in force before the fix, so the user's transaction goes on with it.
    func restoreLockTimeout(_ previous: String?) throws {
        guard let previous else { return }
        try session.execute("SELECT pg_catalog.set_config('lock_timeout', $1, true)", [previous])
    }

    /// The message for a fix that could not get its row locks: the server cancelled the wait
    /// (lock_timeout) or chose it as a deadlock's victim. Its transaction or savepoint is rolled back.
    func lockConflict(_ error: ServerError, retry: String = "run the fix again") -> CommandError {
        let why = error.sqlState == "40P01"
            ? "the server stopped a deadlock with another session by cancelling this (\(error.message))"
            : "it waited CURATE_FIX_LOCK_TIMEOUT=\(lockTimeout) for the rows' locks (\(error.message))"
        return CommandError("another session holds these rows; nothing was changed; \(retry)",
                            hint: "\(why); \\set CURATE_FIX_LOCK_TIMEOUT 30s waits longer")
    }

    func whereExpression(_ rowFix: RowFix, alias: String) -> String {
        let key = session.quoteIdentifier(rowFix.key)
        var parts: [String] = []
        if let condition = options.condition { parts.append("\(alias).\(key) IN (SELECT \(key) FROM \(rowFix.table) WHERE (\(condition)\n))") }
        if let keys = standbyKeys { parts.append(FixTarget.keyRestriction(alias: alias, key: key, keys: keys, session: session)) }
        return parts.isEmpty ? "true" : parts.joined(separator: " AND ")
    }

    /// `{where ALIAS}` replaced (outside strings and comments, as the pack loader found it).
    func substituteWhere(_ sql: String, _ rowFix: RowFix) -> String {
        PackPlaceholder.substitutingWhere(in: sql) { alias in whereExpression(rowFix, alias: session.quoteIdentifier(alias)) }
    }

    mutating func applyRowFix(check: CheckDefinition, fix: FixDefinition, rowFix: RowFix) throws -> Bool {
        let runner = CheckRunner(session: session, variables: context.variables, catalog: catalog)
        var cache: [String: Bool] = [:]
        if let reason = try runner.skipReason(check, cache: &cache) {
            throw CommandError("\(check.name) cannot run here: \(reason)")
        }
        let parameters = runner.values(of: fix.parameters)
        try checkCondition(rowFix)
        if let found = options.standbyFindings {
            if found.count == 0 {
                console.print("\(check.name): the standby run found nothing: nothing to fix.")
                return false
            }
            // --from-standby: only the standby's rows, found again on the primary under the locks.
            standbyKeys = try FixTarget.keys(of: found, check: check, rowFix: rowFix, session: session)
            console.print("\(check.name): re-checking on the primary the \(found.count) finding\(found.count == 1 ? "" : "s") of the standby run (\(found.lag)).")
        }
        // 1. Lock every row the repair depends on, waiting at most CURATE_FIX_LOCK_TIMEOUT for each.
        let previousLockTimeout = try setLockTimeout()
        let lockSQL = substituteWhere(rowFix.lock, rowFix)
        var scope: [String] = []
        var seen = Set<String>()
        try session.stream(lockSQL, parameters) { row in
            if let value = row["scope"], seen.insert(value).inserted { scope.append(value) }
        }
        if scope.isEmpty {
            try restoreLockTimeout(previousLockTimeout)
            console.print(options.standbyFindings == nil ? "\(check.name): nothing to fix."
                          : "\(check.name): none of the standby's findings is one on the primary any more: nothing was written.")
            return false
        }
        try prepareAudit()
        // 2 and 3. Re-check under the locks, update, and record before/after images, in one statement.
        let key = session.quoteIdentifier(rowFix.key)
        let set = rowFix.setColumns.map { session.quoteIdentifier($0) }
        let table = rowFix.table
        let n = parameters.count
        let updateSQL = """
            WITH target AS MATERIALIZED (
            \(rowFix.target)
            ), old AS MATERIALIZED (
                SELECT x.* FROM \(table) x WHERE x.\(key) IN (SELECT t.\(key) FROM target t)
            ), changed AS (
                UPDATE \(table) x SET \(set.map { "\($0) = t.\($0)" }.joined(separator: ", "))
                FROM target t
                WHERE x.\(key) = t.\(key) AND (\(set.map { "x.\($0)" }.joined(separator: ", "))) IS DISTINCT FROM (\(set.map { "t.\($0)" }.joined(separator: ", ")))
                RETURNING x.*
            )
            INSERT INTO \(rowsTable) (audit_id, table_name, key_column, key, before, after)
            SELECT $\(n + 2)::bigint, $\(n + 3), $\(n + 4), o.\(key)::text, to_jsonb(o), to_jsonb(c)
            FROM old o JOIN changed c ON c.\(key) = o.\(key)
            """
        let qualified = try session.execute("""
            SELECT format('%I.%I', n.nspname, c.relname) FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1::regclass
            """, [table]).rows.first?[0] ?? table
        let auditedSQL = "-- lock\n" + lockSQL + ";\n-- re-check under the lock, change, record\n" + updateSQL + ";"
        let auditID = try insertAudit(action: "fix", check: check.name, sql: auditedSQL)
        let scopeLiteral = "{" + scope.joined(separator: ",") + "}"
        try session.execute(updateSQL, [scopeLiteral] + parameters + [String(auditID), qualified, rowFix.key])
        try restoreLockTimeout(previousLockTimeout)
        let count = try finishAudit(auditID)
        if count == 0 {
            console.print("\(check.name): nothing to fix (the rows were repaired meanwhile).")
            return false
        }
        console.print("\(check.name): \(fix.summary).")
        try preview(auditID: auditID, count: count)
        try explain(rowFix, scope: scopeLiteral)
        // A dry run rolls its audit record back with the change: do not name a record that will not exist.
        if auditTable != nil && !options.dryRun { console.print("Audit record \(auditID) (\\fix undo \(auditID) restores the rows).") }
        let threshold = intVariable("CURATE_FIX_CONFIRM_ROWS", default: 100)
        if context.isInteractive && !options.yes && !options.dryRun && count > threshold {
            guard try context.confirm("Apply these \(count) changes?", assumeYes: false) else { throw Declined() }
        }
        return true
    }

    /// Before/after of each changed column, or a summary with counts when there are many rows.
    func preview(auditID: Int64, count: Int) throws {
        let limit = intVariable("CURATE_FIX_PREVIEW_ROWS", default: 20)
        if count <= limit {
            let result = try session.execute("""
                SELECT r.table_name, r.key_column || ' = ' || r.key AS "row", k.col AS "column",
                       r.before ->> k.col AS before, r.after ->> k.col AS after
                FROM \(rowsTable) r CROSS JOIN LATERAL jsonb_object_keys(r.after) AS k(col)
                WHERE r.audit_id = $1 AND r.before -> k.col IS DISTINCT FROM r.after -> k.col
                ORDER BY r.table_name, CASE WHEN r.key ~ '^-?[0-9]{1,18}$' THEN r.key::bigint END, r.key, k.col
                """, [String(auditID)])
            console.print("\(count) row\(count == 1 ? "" : "s") changed:")
            printResult(result)
        } else {
            let result = try session.execute("""
                SELECT r.table_name, k.col AS "column", r.before ->> k.col AS before, r.after ->> k.col AS after, count(*) AS rows
                FROM \(rowsTable) r CROSS JOIN LATERAL jsonb_object_keys(r.after) AS k(col)
                WHERE r.audit_id = $1 AND r.before -> k.col IS DISTINCT FROM r.after -> k.col
                GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
                """, [String(auditID)])
            console.print("\(count) rows changed (summary; CURATE_FIX_PREVIEW_ROWS=\(limit) or fewer are listed one by one):")
            printResult(result)
        }
    }

    /// In the user's format, as a query's result.
    func printResult(_ result: QueryResult) {
        context.print(result)
    }

    // MARK: Statement fixes

    mutating func applyStatementFix(check: CheckDefinition, fix: FixDefinition, statementFix: StatementFix) throws {
        let runner = CheckRunner(session: session, variables: context.variables, catalog: catalog)
        let parameters = runner.values(of: fix.parameters)
        let generator = statementFix.generatorIsWritten
            ? try runner.writtenSQL(statementFix.generator, parameters) : statementFix.generator
        if let found = options.standbyFindings {
            // Statements are written from the primary's own catalog: that is the re-check.
            console.print("\(check.name): re-checking on the primary the \(found.count) finding\(found.count == 1 ? "" : "s") of the standby run (\(found.lag)); its statements are written from the primary's catalog.")
        }
        let generated = try runner.guarded { try session.execute(generator, statementFix.generatorIsWritten ? [] : parameters) }
        let statements = generated.rows.compactMap { row -> (String, String)? in
            guard let object = row["object"], let statement = row["statement"] else { return nil }
            return (object, statement)
        }
        if statements.isEmpty {
            console.print("\(check.name): nothing to fix.")
            return
        }
        console.print("\(check.name): \(fix.summary).")
        for (_, statement) in statements { console.print("  " + statement + ";") }
        let sql = statements.map { $0.1 + ";" }.joined(separator: "\n")
        if statementFix.transactional {
            var me = self
            do {
                try atomically {
                    try me.prepareAudit()
                    let auditID = try me.insertAudit(action: "fix", check: check.name, sql: sql)
                    let previousLockTimeout = try me.setLockTimeout()
                    for (_, statement) in statements { try me.session.execute(statement) }
                    try me.restoreLockTimeout(previousLockTimeout)
                    // A dry run rolls its record back: no id that will never exist.
                    if me.auditTable != nil && !me.options.dryRun { me.console.print("Audit record \(auditID).") }
                    return true
                }
            } catch let error as ServerError where Self.lockConflictStates.contains(error.sqlState) {
                throw lockConflict(error)
            }
            return
        }
        // Outside a transaction block (REINDEX ... CONCURRENTLY): asked first, audited afterwards.
        guard session.transactionState == .idle else {
            throw CommandError("\(check.name)'s fix cannot run inside a transaction block",
                               hint: "COMMIT or ROLLBACK first")
        }
        if options.dryRun {
            console.printError("Dry run: nothing was run.")
            return
        }
        if !options.noAudit {
            guard try auditExists() else {
                throw CommandError("no audit table \(session.quoteIdentifier(schemaName)).audit yet",
                                   hint: "run a row fix first (it creates it), or pass --no-audit")
            }
        }
        guard try context.confirm("Run \(statements.count) statement\(statements.count == 1 ? "" : "s") outside a transaction (they cannot be rolled back)?", assumeYes: options.yes) else {
            console.printError("Declined: nothing was run.")
            return
        }
        var done: [String] = []
        var failure: (any Error)? = nil
        for (_, statement) in statements {
            do {
                try session.execute(statement)
                done.append(statement + ";")
            } catch {
                failure = error
                break
            }
        }
        if !done.isEmpty && !options.noAudit {
            var me = self
            try session.transaction {
                try me.prepareAudit()
                let id = try me.insertAudit(action: "fix", check: check.name, sql: done.joined(separator: "\n"))
                me.console.print("Audit record \(id).")
            }
        }
        if let failure { throw failure }
    }

    // MARK: Undo

    mutating func undo(auditID: Int64) throws {
        guard try auditExists() else {
            throw CommandError("no audit records: the audit schema \(session.quoteIdentifier(schemaName)) does not exist")
        }
        var me = self
        do {
            try atomically {
                let previousLockTimeout = try me.setLockTimeout()
                let done = try me.applyUndo(auditID: auditID)
                try me.restoreLockTimeout(previousLockTimeout)
                return done
            }
        } catch let error as ServerError where Self.lockConflictStates.contains(error.sqlState) {
            throw lockConflict(error, retry: "run the undo again")
        } catch let error as ServerError where Self.constraintStates.contains(error.sqlState) {
            throw undoConflict(error, auditID: auditID)
        }
    }

    mutating func applyUndo(auditID: Int64) throws -> Bool {
        try prepareAudit(readsRecords: true)
        guard let auditTable else { throw CommandError("no audit table") }
        let id = String(auditID)
        let record = try session.execute("SELECT check_name, action FROM \(auditTable) WHERE id = $1", [id])
        guard let recordRow = record.rows.first else {
            throw CommandError("no audit record \(auditID)", hint: "\\fix history lists them")
        }
        let checkName = recordRow[0] ?? ""
        let undoneBy = try session.execute("SELECT string_agg(id::text, ', ') FROM \(auditTable) WHERE undoes = $1", [id]).rows.first?[0] ?? nil
        if let undoneBy {
            throw CommandError("audit record \(auditID) was already undone (by \(undoneBy))", hint: "\\fix undo \(undoneBy) restores the fix again")
        }
        let tables = try session.execute("""
            SELECT DISTINCT r.table_name, r.key_column, r.table_name::regclass::text IS NOT NULL
            FROM \(rowsTable) r WHERE r.audit_id = $1 ORDER BY 1
            """, [id])
        if tables.rows.isEmpty {
            throw CommandError("audit record \(auditID) changed no rows (statements only); it cannot be undone automatically",
                               hint: "its SQL is in \(auditTable).sql")
        }
        var plans: [(table: String, keyColumn: String, keys: [String], columns: [String])] = []
        var changedSince: [[String?]] = []
        for row in tables.rows {
            let table = row[0] ?? ""
            let keyColumn = row[1] ?? ""
            let key = session.quoteIdentifier(keyColumn)
            // Lock the rows, then compare them with the fix's after images.
            try session.execute("""
                SELECT 1 FROM \(table) x
                WHERE x.\(key)::text IN (SELECT r.key FROM \(rowsTable) r WHERE r.audit_id = $1 AND r.table_name = $2)
                ORDER BY x.\(key) FOR UPDATE
                """, [id, table])
            let state = try session.execute("""
                SELECT r.key, x.\(key) IS NOT NULL AS exists, to_jsonb(x) = r.after AS unchanged
                FROM \(rowsTable) r LEFT JOIN \(table) x ON x.\(key)::text = r.key
                WHERE r.audit_id = $1 AND r.table_name = $2
                ORDER BY r.key
                """, [id, table])
            var keys: [String] = []
            for stateRow in state.rows {
                let rowKey = stateRow[0] ?? ""
                if stateRow[1] == "t" && stateRow[2] == "t" {
                    keys.append(rowKey)
                } else {
                    changedSince.append([table, "\(keyColumn) = \(rowKey)", stateRow[1] == "t" ? "changed since the fix" : "deleted since the fix"])
                }
            }
            let columns = try session.execute("""
                SELECT DISTINCT k.col FROM \(rowsTable) r CROSS JOIN LATERAL jsonb_object_keys(r.before) AS k(col)
                WHERE r.audit_id = $1 AND r.table_name = $2 AND r.before -> k.col IS DISTINCT FROM r.after -> k.col
                ORDER BY 1
                """, [id, table]).rows.compactMap { $0[0] }
            plans.append((table, keyColumn, keys, columns))
        }
        let restorable = plans.reduce(0) { $0 + $1.keys.count }
        if !changedSince.isEmpty {
            console.print("\(changedSince.count) row\(changedSince.count == 1 ? " has" : "s have") changed since audit record \(auditID) and will not be restored:")
            context.printTable(columns: ["table", "row", "state"], rows: changedSince)
            if restorable == 0 {
                throw CommandError("nothing to undo: every row of audit record \(auditID) has changed since")
            }
            guard try context.confirm("Restore the other \(restorable) row\(restorable == 1 ? "" : "s")?", assumeYes: options.restoreRest) else {
                throw Declined()
            }
        }
        let undoID = try insertAudit(action: "undo", check: checkName, sql: "-- undo of audit record \(auditID)", undoes: auditID)
        for plan in plans where !plan.keys.isEmpty && !plan.columns.isEmpty {
            let key = session.quoteIdentifier(plan.keyColumn)
            let columns = plan.columns.map { session.quoteIdentifier($0) }
            let sql = """
                WITH src AS (
                    SELECT r.key, r.before FROM \(rowsTable) r
                    WHERE r.audit_id = $1 AND r.table_name = $2 AND r.key = ANY($3::text[])
                ), old AS MATERIALIZED (
                    SELECT x.* FROM \(plan.table) x WHERE x.\(key)::text IN (SELECT key FROM src)
                ), changed AS (
                    UPDATE \(plan.table) x
                    SET (\(columns.joined(separator: ", "))) =
                        (SELECT \(columns.map { "p.\($0)" }.joined(separator: ", ")) FROM jsonb_populate_record(NULL::\(plan.table), src.before) p)
                    FROM src WHERE x.\(key)::text = src.key
                    RETURNING x.*
                )
                INSERT INTO \(rowsTable) (audit_id, table_name, key_column, key, before, after)
                SELECT $4::bigint, $2, $5, o.\(key)::text, to_jsonb(o), to_jsonb(c)
                FROM old o JOIN changed c ON c.\(key) = o.\(key)
                """
            let keysLiteral = "{" + plan.keys.map { "\"" + $0.replacingOccurrencesOf("\\", with: "\\\\").replacingOccurrencesOf("\"", with: "\\\"") + "\"" }.joined(separator: ",") + "}"
            try session.execute(sql, [id, plan.table, keysLiteral, String(undoID), plan.keyColumn])
        }
        try session.execute("UPDATE \(auditTable) SET sql = $2 WHERE id = $1",
                            [String(undoID), "-- undo of audit record \(auditID): restore the before images of \(restorable) rows"])
        let count = try finishAudit(undoID)
        console.print("Undo of audit record \(auditID):")
        try preview(auditID: undoID, count: count)
        if !options.dryRun { console.print("Audit record \(undoID) (the undo).") }
        return true
    }

    // MARK: Harden

    func harden(checkName: String) throws {
        guard let check = catalog.check(named: checkName) else {
            throw CommandError("no check named \"\(checkName)\"")
        }
        guard let hardening = check.hardening else {
            throw CommandError("\(checkName) has no constraint that can hold its rule")
        }
        guard session.transactionState == .idle else {
            throw CommandError("\\fix harden creates an index CONCURRENTLY, which cannot run inside a transaction block",
                               hint: "COMMIT or ROLLBACK first")
        }
        let runner = CheckRunner(session: session, variables: context.variables, catalog: catalog)
        let outcome = try runner.run([check])[0]
        if let by = outcome.guaranteedBy {
            console.print("\(checkName) is already guaranteed by \(by).")
            return
        }
        switch outcome.status {
        case .skipped: throw CommandError("\(checkName) cannot run here: \(outcome.reason ?? "")")
        case .failed: throw CommandError("\(checkName) could not run: \(outcome.reason ?? "")")
        case .findings:
            throw CommandError("\(checkName) still finds \(outcome.count) rows: the constraint cannot be created yet",
                               hint: "\\fix \(checkName), COMMIT, then \\fix harden \(checkName)")
        case .passed: break
        }
        console.print("\(checkName) is clean. Proposed: \(hardening.summary):")
        console.print("  " + hardening.createSQL + ";")
        if options.dryRun {
            console.printError("Dry run: nothing was run.")
            return
        }
        guard try context.confirm("Create it now (CONCURRENTLY: ingest keeps running meanwhile)?", assumeYes: options.yes) else {
            console.printError("Declined: nothing was created.")
            return
        }
        do {
            try session.execute(hardening.createSQL)
        } catch let server as ServerError where server.sqlState == "42501" {
            // Refused before the build started: there is no leftover, and no duplicate to blame.
            throw CommandError("could not create the index: \(server.message); nothing was created",
                               hint: "an index can only be created by the table's owner: run \\fix harden \(checkName) as that role, or ask an administrator")
        } catch {
            // A failed concurrent build leaves an invalid index behind: remove it.
            var leftover = "the invalid leftover was dropped"
            do {
                try session.execute("DROP INDEX CONCURRENTLY IF EXISTS \(session.quoteIdentifier(hardening.indexName))")
            } catch {
                leftover = "dropping the invalid leftover \(hardening.indexName) failed as well: \(error); drop it yourself"
            }
            if let server = error as? ServerError {
                throw CommandError("could not create the index: \(server.message) (\(leftover))",
                                   hint: "new duplicates appeared meanwhile: run \\check \(checkName) and \\fix \(checkName) again")
            }
            throw error
        }
        console.print("Created. From now on the database itself refuses what \(checkName) looks for.")
        if try auditExists() {
            var me = self
            try session.transaction {
                try me.prepareAudit()
                let id = try me.insertAudit(action: "harden", check: checkName, sql: hardening.createSQL)
                me.console.print("Audit record \(id).")
            }
        }
    }
}
