import CurateTestSupport
import Foundation
import Testing

@Suite("fix: repairs, audit, undo, hardening")
struct FixTests {
    static let canonicalState = "SELECT string_agg(id || ':' || present || '/' || canonical, ',' ORDER BY id) FROM diskfile WHERE file_id IN (7, 107)"

    @Test("duplicate-canonical: keeps the newest, audits before and after images, commits with --commit")
    func duplicateCanonicalCommit() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        #expect(try database.psql(Self.canonicalState) == "7:true/true,9:true/true,107:true/true,109:true/true")
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix duplicate-canonical --yes --commit"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("2 rows changed"))
        #expect(try database.psql(Self.canonicalState) == "7:false/false,9:true/true,107:false/false,109:true/true")
        #expect(try database.psql("SELECT id, action, check_name, row_count, database_user, os_user IS NOT NULL, sql LIKE '%FOR UPDATE%' FROM curate.audit")
                == "1|fix|duplicate-canonical|2|postgres|t|t")
        #expect(try database.psql("""
            SELECT string_agg(key || ':' || (before->>'canonical') || (before->>'present') || '>' || (after->>'canonical') || (after->>'present'), ',' ORDER BY key::int)
            FROM curate.audit_row WHERE audit_id = 1 AND table_name = 'public.diskfile'
            """) == "7:truetrue>falsefalse,107:truetrue>falsefalse")
        // The rest of the before image is the whole row.
        #expect(try database.psql("SELECT count(*) FROM curate.audit_row r JOIN diskfile d ON d.id::text = r.key WHERE (r.before - 'present' - 'canonical') = (to_jsonb(d) - 'present' - 'canonical')") == "2")
        let check = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check duplicate-canonical --fail-on error"])
        #expect(check.status == 0, "\(check)")
    }

    @Test("without --commit the transaction stays open; ROLLBACK leaves the data and no audit row")
    func rollbackLeavesNothing() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let before = try database.psql(Self.canonicalState)
        // Create the audit schema first, so that a rolled-back fix could only have left a row.
        let setup = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix queue-stuck --yes --commit"])
        #expect(setup.status == 0, "\(setup)")
        let result = CurateProcess.run(in: database, arguments: ["-X"], stdin: """
            \\fix duplicate-canonical --yes
            SELECT count(*) AS in_transaction FROM curate.audit WHERE check_name = 'duplicate-canonical';
            ROLLBACK;
            """)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("Not committed yet"))
        #expect(try database.psql(Self.canonicalState) == before)
        #expect(try database.psql("SELECT count(*) FROM curate.audit WHERE check_name = 'duplicate-canonical'") == "0")
        #expect(try database.psql("SELECT count(*) FROM curate.audit_row r JOIN curate.audit a ON a.id = r.audit_id WHERE a.check_name = 'duplicate-canonical'") == "0")
        // A script that ends with the fix's transaction open is rolled back too.
        let open = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix duplicate-canonical --yes"])
        #expect(open.status == 3)
        #expect(try database.psql(Self.canonicalState) == before)
    }

    @Test("--dry-run shows the preview and changes nothing (not even the audit schema)")
    func dryRun() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let before = try database.psql(Self.canonicalState)
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix duplicate-canonical --dry-run"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("id = 107"))
        #expect(try database.psql(Self.canonicalState) == before)
        #expect(try database.psql("SELECT to_regnamespace('curate') IS NULL") == "t")
    }

    @Test("--dry-run once the audit schema exists: no audit record is named, none is kept")
    func dryRunNamesNoAuditRecord() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        // Fix and undo: the audit schema exists and the duplicates are back.
        let first = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix duplicate-canonical --commit --yes", "-c", "\\fix undo 1 --commit"])
        #expect(first.status == 0, "\(first)")
        let records = try database.psql("SELECT count(*) FROM curate.audit")
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix duplicate-canonical --dry-run"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("id = 107"))
        #expect(!result.stdout.contains("Audit record"), "\(result)")
        #expect(try database.psql("SELECT count(*) FROM curate.audit") == records)
    }

    @Test("in a script the audit schema needs --yes; without it the fix is refused")
    func auditSchemaAsked() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let refused = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix duplicate-canonical --commit"])
        #expect(refused.status == 3, "\(refused)")
        #expect(try database.psql("SELECT to_regnamespace('curate') IS NULL") == "t")
        let custom = CurateProcess.run(in: database, arguments: ["-X", "-v", "CURATE_AUDIT_SCHEMA=curation_log", "-c", "\\fix duplicate-canonical --commit --yes"])
        #expect(custom.status == 0, "\(custom)")
        #expect(try database.psql("SELECT count(*) FROM curation_log.audit") == "1")
    }

    @Test("undo restores the before images and is audited; rows changed since are refused without --restore-rest")
    func undo() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let original = try database.psql("SELECT md5(string_agg(to_jsonb(d)::text, ',' ORDER BY id)) FROM diskfile d")
        let fix = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix duplicate-present --yes --commit"])
        #expect(fix.status == 0, "\(fix)")
        #expect(try database.psql("SELECT row_count FROM curate.audit WHERE id = 1") == "4")
        let undo = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix undo 1 --commit"])
        #expect(undo.status == 0, "\(undo)")
        #expect(try database.psql("SELECT md5(string_agg(to_jsonb(d)::text, ',' ORDER BY id)) FROM diskfile d") == original)
        #expect(try database.psql("SELECT action, undoes, row_count FROM curate.audit WHERE id = 2") == "undo|1|4")
        let again = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix undo 1 --commit"])
        #expect(again.status == 3)
        #expect(again.stderr.contains("already undone"))

        // Fix again, then someone changes one of the rows: undo lists it and writes nothing.
        let refix = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix duplicate-present --yes --commit"])
        #expect(refix.status == 0, "\(refix)")
        try database.psql("UPDATE diskfile SET file_md5 = 'changed by ingest' WHERE id = 7")
        let afterFix = try database.psql("SELECT md5(string_agg(to_jsonb(d)::text, ',' ORDER BY id)) FROM diskfile d")
        let refused = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix undo 3 --commit"])
        #expect(refused.status == 3, "\(refused)")
        #expect(refused.stdout.contains("id = 7"))
        #expect(try database.psql("SELECT md5(string_agg(to_jsonb(d)::text, ',' ORDER BY id)) FROM diskfile d") == afterFix)
        #expect(try database.psql("SELECT count(*) FROM curate.audit") == "3")
        let partial = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix undo 3 --commit --restore-rest"])
        #expect(partial.status == 0, "\(partial)")
        #expect(try database.psql("SELECT row_count FROM curate.audit WHERE undoes = 3") == "3")
        #expect(try database.psql("SELECT present FROM diskfile WHERE id = 7") == "f")
        #expect(try database.psql("SELECT present FROM diskfile WHERE id = 107") == "t")
    }

    @Test("present-not-canonical and queue-stuck fixes")
    func otherFixes() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        // File 23 has no canonical row: make its only diskfile present but not canonical first.
        try database.psql("UPDATE diskfile SET present = true WHERE file_id = 23")
        let result = CurateProcess.run(in: database, arguments: [
            "-X", "-v", "CURATE_CHECK_NOW=2024-06-30 12:00",
            "-c", "\\fix present-not-canonical --yes --commit", "-c", "\\fix queue-stuck --yes --commit",
        ])
        #expect(result.status == 0, "\(result)")
        #expect(try database.psql("SELECT string_agg(id || ':' || present || '/' || canonical, ',' ORDER BY id) FROM diskfile WHERE file_id IN (14, 23)")
                == "15:false/false,25:true/true,219:true/true")
        #expect(try database.psql("SELECT string_agg(id::text, ',' ORDER BY id) FROM ingestqueue WHERE inprogress") == "5,6,7,8,13,14")
    }

    @Test("--where restricts the fix to matching rows")
    func whereCondition() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix duplicate-canonical --where 'file_id = 107' --yes --commit"])
        #expect(result.status == 0, "\(result)")
        #expect(try database.psql(Self.canonicalState) == "7:true/true,9:true/true,107:false/false,109:true/true")
    }

    @Test("a fix inside the user's transaction that fails leaves the user's earlier work in place")
    func failureInsideUserTransaction() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X", "-v", "ON_ERROR_STOP=0"], stdin: """
            BEGIN;
            INSERT INTO file (name) VALUES ('kept-by-the-user.fits');
            \\fix duplicate-canonical --where 'no_such_column = 1' --yes
            COMMIT;
            """)
        #expect(result.stderr.contains("no_such_column"), "\(result)")
        #expect(try database.psql("SELECT count(*) FROM file WHERE name = 'kept-by-the-user.fits'") == "1")
        #expect(try database.psql("SELECT count(*) FROM diskfile WHERE canonical AND file_id = 7") == "2")
    }

    @Test("two sessions fixing the same duplicates end with exactly one canonical row per file")
    func concurrentFixes() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let setup = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix queue-stuck --yes --commit"])
        #expect(setup.status == 0, "\(setup)")
        // Both sessions think file 7 and 107 have two canonical rows; make the second one see
        // a different "newest" by giving it its own opinion through a newer row... the lock decides.
        let group = DispatchGroup()
        nonisolated(unsafe) var first: CurateResult? = nil
        nonisolated(unsafe) var second: CurateResult? = nil
        group.enter()
        DispatchQueue.global().async {
            first = CurateProcess.run(in: database, arguments: ["-X"], stdin: """
                \\fix duplicate-canonical --yes
                SELECT pg_sleep(2);
                COMMIT;
                """)
            group.leave()
        }
        // The first session has fixed (holding the rows it changed) when its pg_sleep runs.
        try Poll.until("the first session to hold its fix open") {
            try database.backends(of: "curate", waitingOn: "PgSleep") == 1
        }
        group.enter()
        DispatchQueue.global().async {
            second = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix duplicate-canonical --yes --commit"])
            group.leave()
        }
        group.wait()
        #expect(first?.status == 0, "\(String(describing: first))")
        #expect(second?.status == 0, "\(String(describing: second))")
        #expect(second?.stdout.contains("nothing to fix") == true, "\(String(describing: second))")
        #expect(try database.psql("SELECT count(*) FROM (SELECT file_id FROM diskfile WHERE canonical GROUP BY file_id HAVING count(*) <> 1) x") == "0")
        #expect(try database.psql("SELECT count(*) FROM curate.audit WHERE check_name = 'duplicate-canonical'") == "1")
    }

    @Test("harden creates the partial unique index once the check is clean; check then reports it")
    func harden() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let early = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix harden duplicate-canonical --yes"])
        #expect(early.status == 3)
        #expect(early.stderr.contains("still finds 4 rows"))
        let result = CurateProcess.run(in: database, arguments: [
            "-X", "-c", "\\fix duplicate-canonical --yes --commit", "-c", "\\fix harden duplicate-canonical --yes",
            "-c", "\\check duplicate-canonical",
        ])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("guaranteed by constraint diskfile_one_canonical_per_file"))
        #expect(try database.psql("SELECT indisvalid FROM pg_index WHERE indexrelid = 'diskfile_one_canonical_per_file'::regclass") == "t")
        #expect(throws: (any Error).self) {
            try database.psql("UPDATE diskfile SET canonical = true WHERE id = 7")
        }
        #expect(try database.psql("SELECT action FROM curate.audit ORDER BY id DESC LIMIT 1") == "harden")
    }
}
