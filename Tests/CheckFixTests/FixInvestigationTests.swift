import CurateChecks
import CurateTestSupport
import Foundation
import Testing

/// What helps a person follow a fix afterwards: history filters, previews that name the files,
/// an undo refused by a later constraint, and the fk-without-index check.
@Suite("fix: history filters, previews that name the file, undo against a hardened rule, fk-without-index")
struct FixInvestigationTests {
    /// Three audit records: fix duplicate-canonical (1), fix queue-stuck (2), undo of 1 (3).
    static func threeRecords(_ database: TestDatabase) {
        let setup = CurateProcess.run(in: database, arguments: [
            "-X", "-c", "\\fix duplicate-canonical --yes --commit", "-c", "\\fix queue-stuck --yes --commit", "-c", "\\fix undo 1 --commit",
        ])
        #expect(setup.status == 0, "\(setup)")
    }

    func ids(_ database: TestDatabase, _ filters: String) -> [String] {
        let result = CurateProcess.run(in: database, arguments: ["-X", "-A", "-t", "-F", ",", "-c", "\\fix history \(filters)"])
        #expect(result.status == 0, "\(result)")
        return result.stdout.split(separator: "\n").map { String($0.split(separator: ",", omittingEmptySubsequences: false)[0]) }
    }

    @Test("\\fix history --table --key --check --since --user --undone")
    func historyFilters() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        Self.threeRecords(database)
        #expect(ids(database, "") == ["3", "2", "1"])
        #expect(ids(database, "--table diskfile") == ["3", "1"])
        #expect(ids(database, "--table ingestqueue") == ["2"])
        #expect(ids(database, "--table diskfile --key 7") == ["3", "1"])
        #expect(ids(database, "--table diskfile --key 9") == [])
        #expect(ids(database, "--check queue-stuck") == ["2"])
        #expect(ids(database, "--undone") == ["1"])
        #expect(ids(database, "--user postgres") == ["3", "2", "1"])
        #expect(ids(database, "--user nobody") == [])
        #expect(ids(database, "--since '1 hour'") == ["3", "2", "1"])
        #expect(ids(database, "--since 2999-01-01") == [])
        _ = try database.psql("UPDATE curate.audit SET at = at - interval '3 days' WHERE id = 1")
        #expect(ids(database, "--since '2 days'") == ["3", "2"])
        let badTable = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix history --table nosuch"])
        #expect(badTable.status != 0 && badTable.stderr.contains("no table named nosuch"), "\(badTable)")
        let badSince = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix history --since yesterdayish"])
        #expect(badSince.status != 0 && badSince.stderr.contains("--since yesterdayish"), "\(badSince)")
        let misplaced = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix duplicate-canonical --table diskfile"])
        #expect(misplaced.status != 0 && misplaced.stderr.contains("filter \\fix history only"), "\(misplaced)")
    }

    @Test("the preview names the file and says which diskfile is kept and why")
    func previewNamesTheFile() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix duplicate-canonical --dry-run"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("Kept, and why:"), "\(result)")
        let line = result.stdout.split(separator: "\n").first { $0.contains("N20240629S0004.fits") }.map(String.init) ?? ""
        #expect(line.contains("|             9 |"), "\(result)")
        #expect(line.contains("the newest canonical diskfile: latest entrytime, then highest id"), "\(result)")
        #expect(line.hasSuffix("| 7"), "\(result)")
    }

    @Test("an undo that a constraint added later by \\fix harden refuses names it and says what to do")
    func undoAgainstHardenedRule() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let setup = CurateProcess.run(in: database, arguments: [
            "-X", "-c", "\\fix duplicate-canonical --yes --commit", "-c", "\\fix harden duplicate-canonical --yes",
        ])
        #expect(setup.status == 0, "\(setup)")
        let before = try database.psql("SELECT string_agg(id || ':' || canonical, ',' ORDER BY id) FROM diskfile WHERE file_id = 7")
        let undo = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix undo 1 --commit"])
        #expect(undo.status != 0)
        #expect(undo.stderr.contains("audit record 1 cannot be undone: restoring its rows would break diskfile_one_canonical_per_file"), "\(undo)")
        #expect(undo.stderr.contains("created by \\fix harden duplicate-canonical (audit record 2) after the fix; nothing was changed"), "\(undo)")
        #expect(undo.stderr.contains("DROP INDEX diskfile_one_canonical_per_file"), "\(undo)")
        #expect(!undo.stderr.contains("duplicate key value violates"), "\(undo)")
        #expect(try database.psql("SELECT string_agg(id || ':' || canonical, ',' ORDER BY id) FROM diskfile WHERE file_id = 7") == before)
        #expect(try database.psql("SELECT count(*) FROM curate.audit WHERE action = 'undo'") == "0")
    }

    @Test("fk-without-index finds a foreign key without index; its fix creates the index concurrently")
    func foreignKeyWithoutIndex() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        _ = try database.psql("""
            CREATE TABLE note (id serial PRIMARY KEY, file_id integer REFERENCES file, "Disk File" integer, body text);
            ALTER TABLE note ADD FOREIGN KEY ("Disk File") REFERENCES diskfile;
            CREATE INDEX note_body_file ON note (body, file_id);
            """)
        let checked = try Check.json(database, ["fk-without-index"])
        let rows = try #require(checked.first?["rows"] as? [[String: Any]])
        #expect(rows.map { $0["columns"] as? String }.sorted { ($0 ?? "") < ($1 ?? "") } == ["\"Disk File\"", "file_id"], "\(checked)")
        let fix = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix fk-without-index --yes --no-audit"])
        #expect(fix.status == 0, "\(fix)")
        #expect(fix.stdout.contains("CREATE INDEX CONCURRENTLY ON public.note (\"Disk File\");"), "\(fix)")
        #expect(fix.stdout.contains("CREATE INDEX CONCURRENTLY ON public.note (file_id);"), "\(fix)")
        let after = try Check.json(database, ["fk-without-index"])
        #expect(after.first?["status"] as? String == "passed", "\(after)")
        #expect(try database.psql("SELECT count(*) FROM pg_index WHERE indrelid = 'note'::regclass AND indisvalid") == "4")
    }

    @Test("pack files declare relations (-- relation:) and how findings name rows (-- rows:)")
    func packDeclarations() throws {
        let text = """
            -- pack: rel
            -- relation: ingestqueue.filename -> file.name
            -- relation: a.(x, y) -> "B".(p, q)
            -- check: c1
            -- severity: info
            -- description: d
            -- rows: diskfile_id -> diskfile.id, file_id -> file.id
            SELECT 1 AS diskfile_id, 2 AS file_id;
            """
        let file = try PackFile.parse(text, path: "/p/rel.pack.sql")
        #expect(file.pack.relations == [
            DeclaredRelation(table: "ingestqueue", columns: ["filename"], referencedTable: "file", referencedColumns: ["name"], pack: "rel"),
            DeclaredRelation(table: "a", columns: ["x", "y"], referencedTable: "\"B\"", referencedColumns: ["p", "q"], pack: "rel"),
        ])
        #expect(file.pack.checks[0].rowNames == [
            FindingRowName(column: "diskfile_id", table: "diskfile", tableColumn: "id"),
            FindingRowName(column: "file_id", table: "file", tableColumn: "id"),
        ])
        let bad = Packs.errors("-- pack: p\n-- relation: nothing here\n-- check: c\n-- severity: info\n-- description: d\n-- rows: oops\nSELECT 1;\n")
        #expect(bad.map(\.line) == [2, 6], "\(bad)")
    }
}
