import CurateTestSupport
import Foundation
import Testing

/// Scripted sessions: stdin, -c, -f; exit statuses; what the database holds afterwards.
@Suite("Scripted sessions")
struct ScriptSessionTests {
    @Test("-c commands run in order, then -f")
    func commandsThenFile() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("curate-\(UUID().uuidString).sql")
        try "insert into steps values (3);\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = CurateProcess.run(in: database, arguments: [
            "-X", "-c", "create table steps (n int)", "-c", "insert into steps values (1); insert into steps values (2)",
            "-f", file.path,
        ])
        #expect(result.status == 0, "\(result)")
        #expect(try database.psql("select string_agg(n::text, ',' order by n) from steps") == "1,2,3")
    }

    @Test("a script stops at its first error: exit 3, later statements not run")
    func stopsAtFirstError() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X"], stdin: """
            create table t (n int);
            insert into t values (1);
            insert into t values ('not a number');
            insert into t values (3);
            """)
        #expect(result.status == 3)
        // Piped standard input without -f names no file, as in psql.
        #expect(result.stderr.hasPrefix("ERROR:  invalid input syntax for type integer"), "\(result)")
        #expect(try database.psql("select count(*) from t") == "1")
    }

    @Test("input ending in an open transaction is rolled back: exit 3 and the data unchanged")
    func openTransactionRolledBack() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let before = try database.psql("select count(*) from diskfile where canonical")
        let result = CurateProcess.run(in: database, arguments: ["-X"], stdin: """
            begin;
            update diskfile set canonical = false;
            """)
        #expect(result.status == 3)
        #expect(result.stderr.contains("rolled back"))
        #expect(try database.psql("select count(*) from diskfile where canonical") == before)
    }

    @Test("an explicit ROLLBACK leaves the data as it was")
    func rollbackLeavesDataUnchanged() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let before = try database.psql("select md5(string_agg(id::text || canonical::text, ',' order by id)) from diskfile")
        let result = CurateProcess.run(in: database, arguments: ["-X"], stdin: """
            begin;
            update diskfile set canonical = not canonical;
            delete from header;
            rollback;
            """)
        #expect(result.status == 0, "\(result)")
        #expect(try database.psql("select md5(string_agg(id::text || canonical::text, ',' order by id)) from diskfile") == before)
        #expect(try database.psql("select count(*) > 0 from header") == "t")
    }

    @Test("-1 commits a script that succeeds")
    func singleTransactionCommits() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X", "-1"], stdin: """
            create table one (n int);
            insert into one values (1), (2);
            """)
        #expect(result.status == 0, "\(result)")
        #expect(try database.psql("select count(*) from one") == "2")
    }

    @Test("-1 rolls back everything when a statement fails")
    func singleTransactionRollsBack() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X", "-1"], stdin: """
            create table one (n int);
            insert into one values (1);
            insert into one values (1/0);
            """)
        #expect(result.status == 3)
        #expect(result.stderr.contains("division by zero"))
        #expect(try database.psql("select to_regclass('one') is null") == "t")
    }

    @Test("a failed connection is one line on stderr and exit status 2")
    func connectionFailure() throws {
        let server = try TestServer.fromEnvironment()
        let result = CurateProcess.run(arguments: ["-X", "-h", server.host, "-p", server.port, "-U", server.user, "-d", "no_such_database_here", "-c", "select 1"])
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("no_such_database_here"))
        #expect(result.stdout.isEmpty)
    }

    @Test("a connection string and a URI are accepted for -d")
    func connectionStrings() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let conninfo = "host=\(database.host) port=\(database.port) user=\(database.user) dbname=\(database.name)"
        let viaString = CurateProcess.run(arguments: ["-X", "-d", conninfo, "-A", "-t", "-c", "select current_database()"])
        #expect(viaString.stdout == database.name + "\n", "\(viaString)")
        let uri = "postgresql://\(database.user)@/\(database.name)?host=\(database.host)&port=\(database.port)"
        let viaURI = CurateProcess.run(arguments: ["-X", "-d", uri, "-A", "-t", "-c", "select current_database()"])
        #expect(viaURI.stdout == database.name + "\n", "\(viaURI)")
    }

    @Test("PG* environment variables are used by libpq")
    func environmentVariables() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(
            arguments: ["-X", "-A", "-t", "-c", "select current_database()"],
            environment: ["PGHOST": database.host, "PGPORT": database.port, "PGUSER": database.user, "PGDATABASE": database.name]
        )
        #expect(result.stdout == database.name + "\n", "\(result)")
    }

    @Test("--csv output equals psql --csv byte for byte", arguments: [
        "select * from diskfile order by id",
        "select * from header order by id",
        "select * from ingestqueue order by id",
        "select 'a,b' as \"odd,name\", E'line\\nbreak' as t, '\"q\"' as q, '\\.' as dot, null as n, '' as empty",
    ])
    func csvMatchesPsql(query: String) throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let curate = CurateProcess.run(in: database, arguments: ["-X", "--csv", "-c", query])
        let psql = try PsqlRun.run(["-X", "--csv", "-c", query], in: database)
        #expect(curate.status == 0 && psql.status == 0)
        #expect(curate.stdout.utf8.count > 0)
        #expect(Array(curate.stdout.utf8) == Array(psql.stdout), "curate --csv differs from psql --csv for \(query)")
    }

    @Test("the aligned format equals psql's for results within one window")
    func alignedMatchesPsql() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let query = "select id, file_id, filename, present, canonical, file_size, lastmod from diskfile order by id limit 50"
        let curate = CurateProcess.run(in: database, arguments: ["-X", "-c", query])
        let psql = try PsqlRun.run(["-X", "-c", query], in: database, environment: ["PGTZ": "UTC"])
        let curateUTC = CurateProcess.run(in: database, arguments: ["-X", "-c", query], environment: ["PGTZ": "UTC"])
        #expect(curate.status == 0)
        #expect(curateUTC.stdout == String(decoding: psql.stdout, as: UTF8.self))
    }

    @Test("invalid UTF-8 is reported with its line and nothing crashes")
    func invalidUTF8() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        var input = Data("\\set ON_ERROR_STOP off\nselect 'ok before' as a;\nselect '".utf8)
        input.append(contentsOf: [0xC3, 0x28, 0xFF])
        input.append(Data("' as bad;\nselect 'ok after' as b;\n".utf8))
        let result = CurateProcess.run(arguments: database.curateArguments + ["-X"], stdin: input)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("line 3 is not valid UTF-8"))
        #expect(result.stdout.contains("ok before"))
        #expect(result.stdout.contains("ok after"))
    }

    @Test("a 1 MB line is read and sent whole")
    func megabyteLine() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let payload = String(repeating: "x", count: 1 << 20)
        let result = CurateProcess.run(in: database, arguments: ["-X", "-A", "-t"], stdin: "select length('\(payload)');\n")
        #expect(result.status == 0)
        #expect(result.stdout == "\(1 << 20)\n")
    }

    @Test("a dropped connection with ON_ERROR_STOP off: a clear message, the next command reconnects; a lost transaction stops the script")
    func droppedConnection() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X", "-v", "ON_ERROR_STOP=0"], stdin: """
            create table survivors (n int);
            select pg_terminate_backend(pg_backend_pid());
            insert into survivors values (1);
            begin;
            insert into survivors values (2);
            select pg_terminate_backend(pg_backend_pid());
            insert into survivors values (3);
            insert into survivors values (4);
            """, mode: .combined)
        #expect(result.status == 2, "\(result)")
        #expect(result.combined.contains("the connection to the server was lost"), "\(result)")
        #expect(result.combined.contains("reconnected to database"))
        #expect(result.combined.contains("The transaction that was open is lost"))
        #expect(result.combined.contains("The script stops here"))
        // 1 ran after the reconnection; 2 was in the lost transaction; 3 and 4 were written for
        // it and never ran (in autocommit they would have committed half of it).
        #expect(try database.psql("select string_agg(n::text, ',') from survivors") == "1")
    }

    @Test("a lost connection stops a script with exit status 2")
    func droppedConnectionStopsScript() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X"], stdin: """
            select pg_terminate_backend(pg_backend_pid());
            select 'not reached';
            """)
        #expect(result.status == 2)
        #expect(!result.stdout.contains("not reached"))
    }

    @Test("~/.curaterc runs first; -X skips it")
    func startupFile() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("curate-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try "\\set greeting 'from the rc file'\n".write(to: home.appendingPathComponent(".curaterc"), atomically: true, encoding: .utf8)
        let withRC = CurateProcess.run(in: database, arguments: ["-c", "\\echo :greeting"], environment: ["HOME": home.path])
        #expect(withRC.stdout == "from the rc file\n", "\(withRC)")
        let withoutRC = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\echo :greeting"], environment: ["HOME": home.path])
        #expect(withoutRC.stdout == ":greeting\n")
    }

    @Test("--json prints one array of typed objects per result")
    func jsonOutput() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: [
            "-X", "--json", "-c", "select 1 as n, 'a\"b' as s, true as b, null as z, '{\"k\": [1]}'::jsonb as j, 2.50::numeric as d",
        ])
        #expect(result.status == 0)
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        let row = try #require(parsed?.first)
        #expect(row["n"] as? Int == 1)
        #expect(row["s"] as? String == "a\"b")
        #expect(row["b"] as? Bool == true)
        #expect(row["z"] is NSNull)
        #expect((row["j"] as? [String: Any])?["k"] as? [Int] == [1])
        #expect(row["d"] as? Double == 2.5)
    }

    @Test("--version and --help come from the argument parser; a bad option is refused")
    func versionAndHelp() {
        let version = CurateProcess.run(arguments: ["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("0."))
        let help = CurateProcess.run(arguments: ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--single-transaction"))
        #expect(help.stdout.contains("-c, --command <COMMAND>"))
        let bad = CurateProcess.run(arguments: ["--no-such-option"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("--no-such-option"))
    }

    @Test("\\timing prints psql's Time line after each statement")
    func timing() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\timing on", "-c", "select 1", "-c", "\\timing off", "-c", "select 2"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "Timing is on.")
        #expect(lines.filter { $0.hasPrefix("Time: ") && $0.hasSuffix(" ms") }.count == 1, "\(result.stdout)")
    }

    @Test("100,000 statements in one script all run")
    func manyStatements() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        var script = "create temp table c (n int);\n"
        script += String(repeating: "insert into c values (1);\n", count: 100_000)
        script += "select count(*) from c;\n"
        let result = CurateProcess.run(in: database, arguments: ["-X", "-A", "-t"], stdin: script, timeout: 600)
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("\n100000\n"))
    }
}
