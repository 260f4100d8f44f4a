import CurateTestSupport
import Foundation
import Testing

/// The run history: every `\check` run recorded in curate's schema, outside the user's
/// transaction; `\check --history` and `--diff` read it.
@Suite("check history: every run recorded")
struct CheckHistoryTests {
    static func orphanKeys(_ database: TestDatabase) throws -> String {
        try database.psql("SELECT string_agg(f.id::text, ',' ORDER BY f.id) FROM file f WHERE NOT EXISTS (SELECT FROM diskfile d WHERE d.file_id = f.id)")
    }

    @Test("a run records time, user, curate and pack version, status, count, duration and the findings' keys; the schema is made once")
    func recordsEveryRun() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let first = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check orphan-file disabled-trigger"])
        #expect(first.status == 0, "\(first)")
        #expect(first.stderr == "Created curate.check_run and curate.check_result: check runs are recorded there (\\check --history; --no-record skips).\n", "\(first)")
        let run = try database.psql("SELECT database_user, os_user IS NOT NULL, curate_version <> '' AND curate_version <> 'unknown', status, duration_ms > 0, at <= now() FROM curate.check_run")
        #expect(run == "postgres|t|t|findings|t|t", "\(run)")
        let results = try database.psql("""
            SELECT check_name, pack, pack_version, severity, status, finding_count, duration_ms >= 0, array_to_string(finding_keys, ','), keys_truncated
            FROM curate.check_result ORDER BY check_name
            """)
        let keys = try Self.orphanKeys(database)
        #expect(results == "disabled-trigger|postgres|built-in|warning|passed|0|t||f\norphan-file|fitsstorage|built-in|info|findings|2|t|\(keys)|f", "\(results)")

        let second = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check orphan-file"])
        #expect(second.status == 0, "\(second)")
        #expect(!second.stderr.contains("Created"), "\(second)")
        #expect(try database.psql("SELECT count(*) FROM curate.check_run") == "2")
    }

    @Test("only the first CURATE_CHECK_HISTORY_KEYS keys are kept; the count stays complete")
    func keysAreBounded() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X", "-v", "CURATE_CHECK_HISTORY_KEYS=1", "-c", "\\check orphan-file --limit 0"])
        #expect(result.status == 0, "\(result)")
        #expect(try database.psql("SELECT finding_count, cardinality(finding_keys), keys_truncated FROM curate.check_result") == "2|1|t")
    }

    @Test("a run inside the user's transaction is recorded although the user rolls back; the transaction is the user's alone")
    func recordingSurvivesTheUsersRollback() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let script = """
            BEGIN;
            CREATE TABLE made_in_transaction (id int);
            \\check orphan-file
            SELECT count(*) AS still_open FROM made_in_transaction;
            ROLLBACK;
            """
        let result = CurateProcess.run(in: database, arguments: ["-X", "-f", "-"], stdin: script)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("still_open"), "\(result)")
        #expect(try database.psql("SELECT to_regclass('made_in_transaction') IS NULL") == "t")
        #expect(try database.psql("SELECT status, finding_count FROM curate.check_result") == "findings|2")
    }

    @Test("a read-only session is not recorded, with one line saying so; --no-record records nothing, silently")
    func readOnlyAndNoRecord() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let readOnly = CurateProcess.run(in: database, arguments: ["-X", "--read-only", "-c", "\\check orphan-file"])
        #expect(readOnly.status == 0, "\(readOnly)")
        #expect(readOnly.stderr == "Not recorded in the check history: the session is read-only.\n", "\(readOnly)")
        let skipped = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check orphan-file --no-record"])
        #expect(skipped.status == 0, "\(skipped)")
        #expect(skipped.stderr.isEmpty, "\(skipped)")
        #expect(try database.psql("SELECT to_regclass('curate.check_run') IS NULL") == "t")
    }

    @Test("a check that fails halfway through its rows is recorded as failed, with the error")
    func failedHalfwayIsRecordedAsFailed() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Packs.withFolder { folder in
            try Packs.write("""
                -- pack: fragile
                -- version: 3.2
                -- check: breaks-halfway
                -- severity: error
                -- description: fails on the 150th file
                -- tables: file
                SELECT f.id FROM file f WHERE 1 / (f.id - 150) IS NOT NULL ORDER BY f.id;
                """, to: folder + "/fragile.pack.sql")
            let result = CurateProcess.run(in: database, arguments: ["-X", "--plugin-dir", folder, "-v", "ON_ERROR_STOP=0", "-c", "\\check breaks-halfway orphan-file"])
            #expect(result.stdout.contains("breaks-halfway (fragile, error): FAILED to run"), "\(result)")
        }
        #expect(try database.psql("SELECT status FROM curate.check_run") == "failed")
        #expect(try database.psql("SELECT check_name, pack_version, status, finding_count IS NULL, reason FROM curate.check_result ORDER BY 1")
                == "breaks-halfway|3.2|failed|t|division by zero\norphan-file|built-in|findings|f|")
    }

    @Test("a run that cannot start (the user's transaction has failed) is recorded as failed for every check, over the second connection")
    func runStoppedIsRecordedAsFailed() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let script = """
            BEGIN;
            SELECT 1 / 0;
            \\check orphan-file disabled-trigger
            ROLLBACK;
            """
        let result = CurateProcess.run(in: database, arguments: ["-X", "-v", "ON_ERROR_STOP=0", "-f", "-"], stdin: script)
        #expect(result.stderr.contains("the current transaction has failed; checks cannot run in it"), "\(result)")
        #expect(try database.psql("SELECT status FROM curate.check_run") == "failed")
        #expect(try database.psql("SELECT check_name || ':' || status || ':' || reason FROM curate.check_result ORDER BY 1")
                == "disabled-trigger:failed:the current transaction has failed; checks cannot run in it\norphan-file:failed:the current transaction has failed; checks cannot run in it")
    }

    @Test("the run history and the fix audit share the schema, whichever comes first, without notices")
    func sharesTheAuditSchema() throws {
        for fixFirst in [false, true] {
            let database = try TestDatabase.create()
            defer { database.drop() }
            let check = ["-X", "-c", "\\check orphan-file"], fix = ["-X", "-c", "\\fix queue-stuck --yes --commit"]
            for arguments in fixFirst ? [fix, check] : [check, fix] {
                let result = CurateProcess.run(in: database, arguments: arguments)
                #expect(result.status == 0, "\(result)")
                #expect(!result.stderr.contains("NOTICE"), "\(result)")
            }
            #expect(try database.psql("SELECT count(*) FROM curate.check_run") == "1")
            #expect(try database.psql("SELECT count(*) FROM curate.audit") == "1")
        }
    }

    @Test("--history: the runs per check with their counts and the change since the run before (also before --since)")
    func history() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let keys = try Self.orphanKeys(database).split(separator: ",")
        #expect(CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check orphan-file"]).status == 0)
        _ = try database.psql("DELETE FROM file WHERE id = \(keys[0])")
        #expect(CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check orphan-file"]).status == 0)
        _ = try database.psql("INSERT INTO file (name) VALUES ('new-orphan-1.fits'), ('new-orphan-2.fits')")
        #expect(CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check orphan-file duplicate-canonical"]).status == 0)
        // The first run a week ago: out of --since, still the base of the second run's change.
        _ = try database.psql("UPDATE curate.check_result SET at = at - interval '7 days' WHERE run_id = (SELECT min(id) FROM curate.check_run)")

        let all = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\pset format unaligned", "-c", "\\pset footer off", "-c", "\\check --history orphan-file"])
        #expect(all.status == 0, "\(all)")
        let rows = all.stdout.split(separator: "\n").dropFirst(2).map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        #expect(all.stdout.contains("run|at|check|pack|status|findings|change|ms"), "\(all)")
        #expect(rows.map { [$0[2], $0[4], $0[5], $0[6]] } == [["orphan-file", "findings", "2", ""], ["orphan-file", "findings", "1", "-1"], ["orphan-file", "findings", "3", "2"]], "\(all)")

        let recent = CurateProcess.run(in: database, arguments: ["-X", "--csv", "-c", "\\check --history --since '1 day'"])
        #expect(recent.status == 0, "\(recent)")
        let lines = recent.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "run,at,check,pack,status,findings,change,ms", "\(recent)")
        #expect(lines.count == 4, "\(recent)")
        #expect(lines.filter { $0.contains(",orphan-file,") }.map { $0.split(separator: ",", omittingEmptySubsequences: false)[6] } == ["-1", "2"], "\(recent)")

        let bad = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check --history --since 'last tuesday-ish'"])
        #expect(bad.status != 0, "\(bad)")
    }

    @Test("--diff: the findings of the last run against the run before: new, still there, gone")
    func diff() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let keys = try Self.orphanKeys(database).split(separator: ",").map(String.init)
        #expect(CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check orphan-file"]).status == 0)
        _ = try database.psql("DELETE FROM file WHERE id = \(keys[0])")
        let added = try database.psql("INSERT INTO file (name) VALUES ('fresh-orphan.fits') RETURNING id")
        #expect(CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check orphan-file"]).status == 0)
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\pset format unaligned", "-c", "\\check --diff orphan-file"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("orphan-file: 1 new, 1 still there, 1 gone (runs 1 and 2)"), "\(result)")
        #expect(result.stdout.contains("check|key|change\norphan-file|\(added)|new\norphan-file|\(keys[1])|still there\norphan-file|\(keys[0])|gone\n(3 rows)"), "\(result)")
    }

    @Test("--history before any run says that nothing is recorded yet")
    func historyBeforeAnyRun() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check --history"])
        #expect(result.status != 0, "\(result)")
        #expect(result.stderr.contains("no check runs are recorded in this database yet"), "\(result)")
    }
}
