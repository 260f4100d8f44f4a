import CurateTestSupport
import Foundation
import Testing

@Suite("check: the postgres pack, each fault made for real")
struct PostgresPackTests {
    @Test("silent on a clean database (amcheck installed and passing)")
    func cleanDatabase() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try database.psql("CREATE EXTENSION amcheck")
        let checks = try Check.json(database, ["postgres"])
        for check in checks {
            #expect(check["status"] as? String == "passed", "\(check)")
        }
    }

    @Test("every fault fires with the exact rows")
    func faults() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try database.psql("""
            ALTER TABLE header DISABLE TRIGGER ALL;
            INSERT INTO header (diskfile_id, data_label) VALUES (999999, 'orphan');
            ALTER TABLE header ENABLE TRIGGER ALL;
            ALTER TABLE diskfile ADD CONSTRAINT diskfile_size_positive CHECK (file_size > 0) NOT VALID;
            SELECT setval('file_id_seq', 5);
            CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
            CREATE TRIGGER file_noop BEFORE INSERT ON file FOR EACH ROW EXECUTE FUNCTION noop();
            ALTER TABLE file DISABLE TRIGGER file_noop;
            CREATE TABLE notes (body text);
            CREATE EXTENSION amcheck;
            CREATE FUNCTION int4_asc_cmp (a int4, b int4) RETURNS int LANGUAGE sql AS $$
                SELECT CASE WHEN $1 = $2 THEN 0 WHEN $1 > $2 THEN 1 ELSE -1 END $$;
            CREATE OPERATOR CLASS int4_fickle_ops FOR TYPE int4 USING btree AS
                OPERATOR 1 < (int4, int4), OPERATOR 2 <= (int4, int4), OPERATOR 3 = (int4, int4),
                OPERATOR 4 >= (int4, int4), OPERATOR 5 > (int4, int4), FUNCTION 1 int4_asc_cmp(int4, int4);
            CREATE TABLE fickle (i int4 PRIMARY KEY);
            INSERT INTO fickle SELECT generate_series(1, 1000);
            CREATE INDEX fickle_idx ON fickle USING btree (i int4_fickle_ops);
            CREATE FUNCTION int4_desc_cmp (int4, int4) RETURNS int LANGUAGE sql AS $$
                SELECT CASE WHEN $1 = $2 THEN 0 WHEN $1 > $2 THEN -1 ELSE 1 END $$;
            UPDATE pg_catalog.pg_amproc SET amproc = 'int4_desc_cmp'::regproc WHERE amproc = 'int4_asc_cmp'::regproc;
            """)
        // An invalid index: CREATE UNIQUE INDEX CONCURRENTLY over the duplicates fails and leaves it.
        #expect(throws: (any Error).self) {
            try database.psql("CREATE UNIQUE INDEX CONCURRENTLY diskfile_dup_idx ON diskfile (file_id) WHERE canonical")
        }
        let checks = try Check.json(database, ["postgres"])
        func rows(_ name: String) -> [[String: Any]] { Check.outcome(checks, name)?["rows"] as? [[String: Any]] ?? [] }
        #expect(rows("invalid-index").map { $0["index"] as? String } == ["diskfile_dup_idx"])
        #expect(rows("not-valid-constraint").map { $0["constraint"] as? String } == ["diskfile_size_positive"])
        #expect(rows("sequence-behind").map { $0["sequence"] as? String } == ["public.file_id_seq"])
        #expect(rows("sequence-behind").first?["column_max"] as? Int == 200)
        #expect(rows("fk-orphan").map { "\($0["constraint"] ?? "")=\($0["orphans"] ?? "")" } == ["header_diskfile_id_fkey=1"])
        #expect(rows("disabled-trigger").map { $0["trigger"] as? String } == ["file_noop"])
        #expect(rows("no-primary-key").map { $0["table"] as? String } == ["notes"])
        #expect(rows("amcheck-btree").map { $0["index"] as? String } == ["fickle_idx"])
        #expect((rows("amcheck-btree").first?["problem"] as? String)?.contains("invariant") == true, "\(rows("amcheck-btree"))")
        #expect(Check.outcome(checks, "amcheck-heap")?["status"] as? String == "passed")
        #expect(Check.outcome(checks, "xid-wraparound")?["status"] as? String == "passed")

        // Fixes for the sequence and the constraint.
        let fix = CurateProcess.run(in: database, arguments: [
            "-X", "-c", "\\fix sequence-behind --yes --commit", "-c", "\\fix not-valid-constraint --yes --commit",
        ])
        #expect(fix.status == 0, "\(fix)")
        let after = try Check.json(database, ["sequence-behind", "not-valid-constraint"])
        for check in after { #expect(check["status"] as? String == "passed", "\(check)") }
        #expect(try database.psql("SELECT count(*) FROM curate.audit WHERE check_name IN ('sequence-behind', 'not-valid-constraint')") == "2")
        // No safe repair: said so.
        let none = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix fk-orphan"])
        #expect(none.status == 3)
        #expect(none.stderr.contains("no safe automatic repair"))
    }

    @Test("an invalid index is rebuilt with REINDEX CONCURRENTLY: refused inside a transaction, asked first, then valid")
    func reindexInvalidIndex() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        #expect(throws: (any Error).self) {
            try database.psql("CREATE UNIQUE INDEX CONCURRENTLY diskfile_dup_idx ON diskfile (file_id) WHERE canonical")
        }
        #expect(try database.psql("SELECT indisvalid FROM pg_index WHERE indexrelid = 'diskfile_dup_idx'::regclass") == "f")
        // While duplicates remain the rebuild fails, and nothing is reported as done.
        let early = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix invalid-index --yes"])
        #expect(early.status == 3, "\(early)")
        #expect(try database.psql("SELECT indisvalid FROM pg_index WHERE indexrelid = 'diskfile_dup_idx'::regclass") == "f")
        // Inside an open transaction it cannot run at all.
        let inside = CurateProcess.run(in: database, arguments: ["-X", "-v", "ON_ERROR_STOP=0"], stdin: "begin;\n\\fix invalid-index --yes\nrollback;\n")
        #expect(inside.stderr.contains("transaction"), "\(inside)")
        // In a script, without --yes, it is refused.
        let unasked = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix duplicate-canonical --yes --commit", "-c", "\\fix invalid-index"])
        #expect(unasked.status == 3, "\(unasked)")
        #expect(unasked.stderr.contains("--yes"))
        let fixed = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix invalid-index --yes"])
        #expect(fixed.status == 0, "\(fixed)")
        #expect(try database.psql("SELECT indisvalid FROM pg_index WHERE indexrelid = 'diskfile_dup_idx'::regclass") == "t")
        let after = try Check.json(database, ["invalid-index"])
        #expect(after.first?["status"] as? String == "passed", "\(after)")
    }

    @Test("a check that cannot run is reported as failed, never as passed, and fails --fail-on")
    func failedIsNotClean() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try database.psql("""
            CREATE ROLE curate_check_reader LOGIN;
            GRANT CONNECT ON DATABASE \(TestDatabase.quoteIdentifier(database.name)) TO curate_check_reader;
            """)
        defer { _ = try? database.psql("DROP OWNED BY curate_check_reader; DROP ROLE curate_check_reader") }
        let arguments = ["-h", database.host, "-p", database.port, "-U", "curate_check_reader", "-d", database.name]
        let result = CurateProcess.run(arguments: arguments + ["-X", "-c", "\\check duplicate-canonical --fail-on error"])
        #expect(result.status == 3, "\(result)")
        #expect(result.stdout.contains("FAILED to run: permission denied"), "\(result)")
    }
}
