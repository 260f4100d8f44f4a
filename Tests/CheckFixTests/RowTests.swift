import CurateTestSupport
import Foundation
import Testing

/// `\row` on the sample FitsStorage database: file 7 (N20240629S0004.fits) has the seeded
/// duplicate-canonical problem (diskfiles 7 and 9, both canonical, one header each).
@Suite("row: a row with its related rows, findings and fix history")
struct RowTests {
    static let name = "N20240629S0004.fits"
    /// The file's ingest queue entry (the sample has none for this file).
    static let queueEntry = "INSERT INTO ingestqueue (filename, path, inprogress, added) VALUES ('\(name)', 'dataflow/GN/20240629', true, '2024-06-30 11:00')"

    func json(_ text: String) throws -> [String: Any] {
        let line = text.split(separator: "\n").first { $0.hasPrefix("{") } ?? ""
        return try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test("\\row file NAME: both diskfiles, their headers, the ingest queue entry (declared relation) and the finding")
    func fileByName() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        _ = try database.psql(Self.queueEntry)
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\row file \(Self.name)"])
        #expect(result.status == 0, "\(result)")
        let out = result.stdout
        #expect(out.contains("file id = 7"))
        #expect(out.contains("name | \(Self.name)"))
        #expect(out.contains("Children: diskfile.file_id → file.id: 2 rows"))
        #expect(out.contains("Children: header.diskfile_id → diskfile.id, of rows 1, 2: 2 rows"))
        #expect(out.contains("Children: ingestqueue.filename → file.name (declared by pack fitsstorage): 1 row"))
        #expect(out.contains("Children: diskfile.filename → file.name (declared by pack fitsstorage): 2 rows"))
        #expect(out.contains("duplicate-canonical (error)"))
        #expect(out.contains("Fix history: no fix has been recorded yet"))
        // Both diskfile rows, numbered 1 and 2, and their headers 3 and 4.
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix(" 1 |  7 |       7 |") }, "\(out)")
        #expect(lines.contains { $0.hasPrefix(" 2 |  9 |       7 |") }, "\(out)")
        #expect(lines.contains { $0.hasPrefix(" 3 |  7 |           7 |") }, "\(out)")
        #expect(lines.contains { $0.hasPrefix(" 4 |  9 |           9 |") }, "\(out)")
    }

    @Test("\\row N follows a numbered row, \\back returns; a parent is listed both ways")
    func followAndBack() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X"], stdin: """
            \\row file 7
            \\row 2
            \\row 2
            \\back
            \\back
            \\back
            """)
        let out = result.stdout
        let shown = out.split(separator: "\n").filter { ["file ", "diskfile ", "header "].contains(where: $0.hasPrefix) && $0.contains(" = ") }
        #expect(shown == ["file id = 7", "diskfile id = 9", "header id = 9", "diskfile id = 9", "file id = 7"], "\(out)")
        #expect(out.contains("Parent: diskfile.file_id → file.id: 1 row"))
        #expect(out.contains("Parent: header.diskfile_id → diskfile.id: 1 row"))
        #expect(result.stderr.contains("no earlier row to go back to"), "\(result)")
    }

    @Test("after a fix, \\row shows its audit record with the undo command; undone, it says so")
    func historyAfterFix() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let fix = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix duplicate-canonical --yes --commit"])
        #expect(fix.status == 0, "\(fix)")
        let after = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\row file \(Self.name)"])
        #expect(after.status == 0, "\(after)")
        #expect(after.stdout.contains("Fix history:"))
        #expect(after.stdout.contains("duplicate-canonical | diskfile id = 7 | canonical: true → false, present: true → false"), "\(after)")
        #expect(after.stdout.contains("\\fix undo 1"))
        // Fixed: the finding is gone.
        #expect(after.stdout.contains("Findings: none"))
        let undo = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix undo 1 --commit", "-c", "\\row file \(Self.name) --format json"])
        #expect(undo.status == 0, "\(undo)")
        let report = try json(undo.stdout)
        let history = try #require(report["history"] as? [[String: Any]])
        #expect(history.count == 2)
        #expect(history[0]["id"] as? Int == 1)
        #expect(history[0]["undone_by"] as? String == "2")
        #expect(history[0]["undo"] is NSNull)
        #expect(history[1]["action"] as? String == "undo")
    }

    @Test("--format json, field by field")
    func jsonFields() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        _ = try database.psql(Self.queueEntry)
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\row file \(Self.name) --format json"])
        #expect(result.status == 0, "\(result)")
        let report = try json(result.stdout)
        #expect(report["table"] as? String == "file")
        #expect(report["schema"] as? String == "public")
        #expect((report["key"] as? [String: Any])?["id"] as? Int == 7)
        let row = try #require(report["row"] as? [String: Any])
        #expect(row["id"] as? Int == 7)
        #expect(row["name"] as? String == Self.name)
        let related = try #require(report["related"] as? [[String: Any]])
        let diskfiles = try #require(related.first { $0["table"] as? String == "diskfile" && $0["declared_by"] is NSNull })
        #expect(diskfiles["direction"] as? String == "child")
        #expect(diskfiles["columns"] as? [String] == ["file_id"])
        #expect(diskfiles["constraint"] as? String == "diskfile_file_id_fkey")
        #expect(diskfiles["count"] as? Int == 2)
        #expect(diskfiles["indexed"] as? Bool == true)
        #expect(diskfiles["level"] as? Int == 1)
        let rows = try #require(diskfiles["rows"] as? [[String: Any]])
        #expect(rows.map { $0["number"] as? Int } == [1, 2])
        #expect(rows.map { ($0["row"] as? [String: Any])?["id"] as? Int } == [7, 9])
        #expect((rows[0]["row"] as? [String: Any])?["canonical"] as? Bool == true)
        let headers = try #require(related.first { $0["table"] as? String == "header" })
        #expect(headers["level"] as? Int == 2)
        #expect(headers["count"] as? Int == 2)
        let queue = try #require(related.first { $0["table"] as? String == "ingestqueue" })
        #expect(queue["declared_by"] as? String == "fitsstorage")
        #expect(queue["constraint"] is NSNull)
        #expect(queue["indexed"] as? Bool == false)
        #expect((queue["note"] as? String)?.contains("not indexed") == true)
        #expect(queue["count"] as? Int == 1)
        let findings = try #require(report["findings"] as? [[String: Any]])
        let duplicate = try #require(findings.first { $0["check"] as? String == "duplicate-canonical" })
        #expect(duplicate["severity"] as? String == "error")
        #expect(duplicate["pack"] as? String == "fitsstorage")
        let findingRows = try #require(duplicate["rows"] as? [[String: Any]])
        #expect(findingRows.map { $0["diskfile_id"] as? Int } == [7, 9])
        #expect(report["history"] as? [Any] != nil)
        #expect(report["history_note"] as? String != nil)
    }

    @Test("--where: checked like \\fix --where; several matches are listed to pick one")
    func whereCondition() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X"], stdin: """
            \\row diskfile --where "file_id = 7"
            \\row 2
            """)
        #expect(result.stdout.contains("2 rows of diskfile match:"), "\(result)")
        #expect(result.stdout.contains("diskfile id = 9"), "\(result)")
        let bad = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\row diskfile --where \"true) ; DELETE FROM header WHERE (true\""])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--where cannot be used"), "\(bad)")
        #expect(try database.psql("SELECT count(*) > 0 FROM header") == "t")
        let writes = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\row diskfile --where \"nextval('file_id_seq') > 0\""])
        #expect(writes.stderr.contains("--where cannot be used"), "\(writes)")
        let none = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\row diskfile --where \"false\""])
        #expect(none.stderr.contains("no row of diskfile matches"), "\(none)")
    }

    @Test("composite keys, a text key, quoted names, a table without key, limits and --all")
    func keysAndNames() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        _ = try database.psql("""
            CREATE TABLE "Run Log" ("Site" text, night date, note text, PRIMARY KEY ("Site", night));
            INSERT INTO "Run Log" VALUES ('GN', '2024-06-29', 'clear');
            CREATE TABLE run_file ("Site" text, night date, file_id integer REFERENCES file,
                                   FOREIGN KEY ("Site", night) REFERENCES "Run Log");
            INSERT INTO run_file SELECT 'GN', '2024-06-29', id FROM file WHERE id <= 12;
            """)
        let result = CurateProcess.run(in: database, arguments: ["-X"], stdin: """
            \\row "Run Log" GN 2024-06-29 --limit 3
            \\row 1
            \\row "Run Log" GN 2024-06-29 --all --format json
            """)
        let out = result.stdout
        #expect(out.contains("\"Run Log\" (Site, night) = (GN, 2024-06-29)"), "\(result)")
        #expect(out.contains("Children: run_file.(\"Site\", night) → \"Run Log\".(Site, night): 12 rows, the first 3 listed (--all lists all)")
                || out.contains("Children: run_file.(Site, night) → \"Run Log\".(Site, night): 12 rows, the first 3 listed (--all lists all)"), "\(out)")
        // run_file has no key: its rows are followed by their place (ctid).
        #expect(out.contains("run_file ctid = (0,1)"), "\(out)")
        // The relation has no index, but the table is small: read, with a note.
        #expect(out.contains("not indexed: run_file was scanned"), "\(out)")
        let report = try json(String(out[out.range(of: "{\"table\": \"Run Log\"")!.lowerBound...]))
        let related = try #require(report["related"] as? [[String: Any]])
        #expect((related.first { $0["table"] as? String == "run_file" }?["rows"] as? [Any])?.count == 12)
        let unknown = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\row nosuch 1"])
        #expect(unknown.stderr.contains("no table named nosuch"), "\(unknown)")
        let missing = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\row file no-such-name.fits"])
        #expect(missing.stderr.contains("no row of file has (id) or (name) = (no-such-name.fits)"), "\(missing)")
    }

    @Test("a relation without index on a large table is not read: \\row says so and proposes the index")
    func unindexedLargeTable() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        _ = try database.psql(Self.queueEntry)
        let result = CurateProcess.run(in: database, arguments: ["-X", "-v", "CURATE_ROW_SCAN_PAGES=0", "-c", "\\row file 7"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("Children: ingestqueue.filename → file.name (declared by pack fitsstorage): not read"), "\(result)")
        #expect(result.stdout.contains("CREATE INDEX CONCURRENTLY ON public.ingestqueue (filename)"))
        let scanned = CurateProcess.run(in: database, arguments: ["-X", "-v", "CURATE_ROW_SCAN_PAGES=0", "-c", "\\row file 7 --scan"])
        #expect(scanned.stdout.contains("(declared by pack fitsstorage): 1 row"), "\(scanned)")
    }

    @Test("\\pset applies to the text form")
    func psetApplies() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\pset format csv", "-c", "\\row file 7"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("name,\(Self.name)"), "\(result)")
        #expect(result.stdout.contains("#,id,file_id,filename"), "\(result)")
    }
}
