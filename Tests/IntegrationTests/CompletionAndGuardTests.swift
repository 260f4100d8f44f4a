import CurateTestSupport
import Foundation
import Testing

/// Tab completion and the destructive-statement guard at a real terminal.
@Suite("Completion and guard", .serialized)
struct CompletionAndGuardTests {
    static func open(_ database: TestDatabase, environment: [String: String] = [:]) throws -> PTYSession {
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"], cols: 200, environment: environment)
        try terminal.waitFor("=# ")
        return terminal
    }

    @Test("Tab completes a command's options and its own arguments (check names)")
    func commandArguments() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try Self.open(database)
        defer { terminal.terminate() }
        try terminal.send("\\check duplicate-ca\t")
        try terminal.send("--lim\t")
        try terminal.sendLine("1")
        try terminal.waitFor("duplicate-canonical")
        try terminal.waitFor("=# ")
        #expect(terminal.transcript.contains("\\check duplicate-canonical --limit 1"))
    }

    @Test("Tab offers the values of \\check --on and --fail-on after them, not check names")
    func checkOptionValues() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try Self.open(database)
        defer { terminal.terminate() }
        try terminal.send("\\check --on st")
        try terminal.waitFor("--on st")
        try terminal.send("\t")
        try terminal.waitFor("andby ")  // completes "st"
        try terminal.send("--fail-on w")
        try terminal.waitFor("--fail-on w")
        try terminal.send("\t")
        try terminal.waitFor("arning ")  // completes "w"
        #expect(terminal.transcript.contains("\\check --on standby --fail-on warning "))
        try terminal.sendControl("u")
    }

    @Test("Tab offers the backups in the backup folder for \\restore")
    func restoreCompletion() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-backups-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["fitsdata.2024-03-05T02:00:01.123456.pg_dump_c", "fitsdata.2024-03-05T02:00:01.123456.pg_dump_c.manifest", "notes.txt"] {
            _ = FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: Data())
        }
        let terminal = try Self.open(database)
        defer { terminal.terminate() }
        try terminal.sendLine("\\set BACKUP_DIR \(folder.path)")
        try terminal.waitFor("=# ")
        try terminal.send("\\restore fits")
        try terminal.waitFor("\\restore fits")
        try terminal.send("\t")
        try terminal.waitFor("data.2024-03-05T02:00:01.123456.pg_dump_c ")  // completes "fits"
        try terminal.sendControl("u")
    }

    @Test("Ctrl-R searches the history")
    func reverseSearch() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try Self.open(database)
        defer { terminal.terminate() }
        try terminal.sendLine("select 'needle in history' as found;")
        try terminal.waitFor("(1 row)")
        try terminal.sendLine("select 'something else';")
        try terminal.waitFor("(1 row)")
        try terminal.waitFor("=# ")
        try terminal.waitForRawMode()
        try terminal.sendControl("r")
        try terminal.send("needle")
        try terminal.sendLine("")
        try terminal.waitFor("needle in history\n")
        try terminal.waitFor("(1 row)")
    }

    @Test("\\x auto switches to expanded display in a narrow window, and back after a resize")
    func expandedAutoFollowsWindow() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"], rows: 40, cols: 60)
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\x auto")
        try terminal.waitFor("Expanded display is used automatically.")
        let wide = "select id, filename, path, file_md5, lastmod from diskfile order by id limit 1;"
        try terminal.sendLine(wide)
        try terminal.waitFor("-[ RECORD 1 ]")
        try terminal.waitFor("=# ")
        // The size is set at once; curate asks for it when it prints the next result.
        terminal.resize(rows: 40, cols: 250)
        try terminal.sendLine(wide)
        try terminal.waitFor("(1 row)")
    }

    @Test("Tab completes file paths for \\i")
    func filePaths() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-complete-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "\\echo from the completed file\n".write(to: folder.appendingPathComponent("nightly-report.sql"), atomically: true, encoding: .utf8)
        let terminal = try Self.open(database)
        defer { terminal.terminate() }
        try terminal.send("\\i \(folder.path)/night\t")
        try terminal.sendLine("")
        try terminal.waitFor("from the completed file")
    }

    @Test("Tab completes SQL keywords, tables and the columns of the table in the statement")
    func sqlNames() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try Self.open(database)
        defer { terminal.terminate() }
        try terminal.send("sel\t")
        try terminal.send("canon\t")
        try terminal.send("from diskf\t")
        try terminal.sendLine("limit 1;")
        try terminal.waitFor("(1 row)")
        #expect(terminal.transcript.contains("select canonical from diskfile limit 1;"))
    }

    @Test("a table created in the session is offered after the DDL")
    func refreshAfterDDL() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try Self.open(database)
        defer { terminal.terminate() }
        try terminal.sendLine("create table observing_log (night date);")
        try terminal.waitFor("CREATE TABLE")
        try terminal.waitFor("=# ")
        try terminal.send("select * from observing_l\t")
        try terminal.sendLine(";")
        try terminal.waitFor("(0 rows)")
        #expect(terminal.transcript.contains("select * from observing_log ;"))
        // DDL inside a transaction (each statement in its own savepoint) counts too, once committed.
        try terminal.sendLine("begin;")
        try terminal.sendLine("create table calibration_run (night date);")
        try terminal.waitFor("CREATE TABLE")
        try terminal.sendLine("commit;")
        try terminal.waitFor("COMMIT")
        try terminal.waitFor("=# ")
        try terminal.send("select * from calibration_r\t")
        try terminal.sendLine(";")
        try terminal.waitFor("(0 rows)")
        #expect(terminal.transcript.contains("select * from calibration_run ;"))
    }

    @Test("the guard asks before DELETE without WHERE, shows the rows at stake, and leaves the table untouched when refused")
    func guardRefused() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let before = try database.psql("select count(*) from diskfile")
        let terminal = try Self.open(database)
        defer { terminal.terminate() }
        try terminal.sendLine("DELETE FROM diskfile;")
        try terminal.waitFor("DELETE without WHERE")
        try terminal.waitFor("\(before) rows")
        try terminal.waitFor("Send it? [y/N] ")
        try terminal.sendLine("n")
        try terminal.waitFor("Not sent.")
        #expect(try database.psql("select count(*) from diskfile") == before)
    }

    @Test("the guard catches what pgcli misses: a data-modifying CTE, a second statement on the line, a comment in front")
    func guardCatchesHiddenDeletes() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try Self.open(database)
        defer { terminal.terminate() }
        for statement in [
            "WITH gone AS (DELETE FROM ingestqueue RETURNING *) SELECT count(*) FROM gone;",
            "select 1; truncate ingestqueue;",
            "/* tidy up */ update ingestqueue set inprogress = false;",
        ] {
            try terminal.sendLine(statement)
            try terminal.waitFor("Send it? [y/N] ")
            try terminal.sendLine("n")
            try terminal.waitFor("Not sent.")
        }
        #expect(try database.psql("select count(*) from ingestqueue where inprogress") != "0")
    }

    @Test("the guard sends the statement when confirmed; \\set GUARD off stops asking; scripts are never asked")
    func guardConfirmedAndOff() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try Self.open(database)
        defer { terminal.terminate() }
        try terminal.sendLine("delete from ingestqueue;")
        try terminal.waitFor("Send it? [y/N] ")
        try terminal.sendLine("y")
        try terminal.waitFor("DELETE ")
        #expect(try database.psql("select count(*) from ingestqueue") == "0")
        try terminal.sendLine("\\set GUARD off")
        try terminal.sendLine("delete from header;")
        try terminal.waitFor("DELETE ")
        #expect(!terminal.unconsumed.contains("Send it?"))
        let script = CurateProcess.run(in: database, arguments: ["-X"], stdin: "delete from diskfile where false;\ndelete from file where id not in (select file_id from diskfile);\ntruncate diskfile cascade;\n")
        #expect(script.status == 0, "\(script)")
        #expect(!script.stderr.contains("Send it?"))
    }
}
