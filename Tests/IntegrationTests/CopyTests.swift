import CurateTestSupport
import Foundation
import Testing

/// COPY FROM STDIN and COPY TO STDOUT in every input mode, the data taken from (or sent to) where
/// psql takes it, never read as SQL; the output compared with the real psql's.
@Suite("COPY to and from the client")
struct CopyTests {
    /// Runs `arguments` through psql and through curate, each in a fresh database with `setup`
    /// done, and returns both results and databases (dropped by the caller).
    private func sideBySide(
        setup: String, arguments: [String], stdin: String? = nil, mode: CurateProcess.OutputMode = .separate,
        psqlPath: String = TestServer.psqlPath
    ) throws -> (psql: CurateResult, curate: CurateResult, psqlDatabase: TestDatabase, curateDatabase: TestDatabase) {
        let psqlDatabase = try TestDatabase.create(from: "template0")
        let curateDatabase = try TestDatabase.create(from: "template0")
        _ = try psqlDatabase.psql(setup)
        _ = try curateDatabase.psql(setup)
        let psql = CurateProcess.run(
            arguments: psqlDatabase.curateArguments + arguments, stdin: stdin, mode: mode,
            executable: URL(fileURLWithPath: psqlPath))
        let curate = CurateProcess.run(arguments: curateDatabase.curateArguments + arguments, stdin: stdin, mode: mode)
        return (psql, curate, psqlDatabase, curateDatabase)
    }

    private func scriptFile(_ text: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("curate-copy-\(UUID().uuidString).sql")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Data that would do harm or fail if it were read as SQL or as backslash commands.
    static let trickyData = "1\tone; drop table t;\n2\t\\\\d t\n3\t'quote\n4\t\\N\n5\tsemi;colon -- not a comment\n"

    static let setup = "create table t (n int primary key, s text)"

    @Test("-f: the data follows the statement in the file, up to \\., and is never run as SQL")
    func fromStdinInFile() throws {
        let file = try scriptFile("copy t from stdin;\n\(Self.trickyData)\\.\nselect count(*) from t;\n")
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try sideBySide(setup: Self.setup, arguments: ["-X", "-f", file.path])
        defer { run.psqlDatabase.drop(); run.curateDatabase.drop() }
        #expect(run.curate.status == 0, "\(run.curate)")
        #expect(run.curate.stdout == run.psql.stdout)
        #expect(run.curate.stdout.contains("COPY 5"))
        #expect(try run.curateDatabase.psql("select string_agg(n || ':' || coalesce(s, 'NULL'), '|' order by n) from t")
            == "1:one; drop table t;|2:\\d t|3:'quote|4:NULL|5:semi;colon -- not a comment")
    }

    @Test("piped standard input: data from the same stream, and the statements after \\. run")
    func fromStdinPiped() throws {
        let script = "copy t from stdin;\n\(Self.trickyData)\\.\ninsert into t values (6, 'after');\ncopy t to stdout;\n"
        let run = try sideBySide(setup: Self.setup, arguments: ["-X"], stdin: script)
        defer { run.psqlDatabase.drop(); run.curateDatabase.drop() }
        #expect(run.curate.status == 0, "\(run.curate)")
        #expect(run.curate.stdout == run.psql.stdout)
        #expect(run.curate.stdout.hasSuffix("5\tsemi;colon -- not a comment\n6\tafter\n"))
    }

    @Test("data without \\. runs to the end of the input, a last line without newline included")
    func fromStdinToEndOfInput() throws {
        let run = try sideBySide(setup: Self.setup, arguments: ["-X"], stdin: "copy t from stdin;\n1\ta\n2\tb")
        defer { run.psqlDatabase.drop(); run.curateDatabase.drop() }
        #expect(run.curate.status == 0, "\(run.curate)")
        #expect(run.curate.stdout == run.psql.stdout)
        #expect(try run.curateDatabase.psql("select string_agg(s, ',' order by n) from t") == "a,b")
    }

    @Test("\\i: the data comes from the included file")
    func fromStdinInIncludedFile() throws {
        let included = try scriptFile("copy t from stdin with (format csv);\n1,\"x;y\"\n2,\"\\.\"\n\\.\n")
        defer { try? FileManager.default.removeItem(at: included) }
        // psql 15 sends the `\.` line of a file to a PostgreSQL 18 server as data, which rejects it;
        // psql 18 ends the copy there, as curate does: on 18 it is the reference.
        let psql = TestServer.serverMajorVersion >= 18 ? TestServer.serverPsqlPath : TestServer.psqlPath
        let run = try sideBySide(setup: Self.setup, arguments: ["-X"], stdin: "\\i \(included.path)\nselect count(*) from t;\n",
                                 psqlPath: psql)
        defer { run.psqlDatabase.drop(); run.curateDatabase.drop() }
        #expect(run.curate.status == 0, "\(run.curate)")
        #expect(run.curate.stdout == run.psql.stdout)
        #expect(try run.curateDatabase.psql("select string_agg(s, ',' order by n) from t") == "x;y,\\.")
    }

    @Test("-c: the data comes from standard input, for each -c in turn")
    func fromStdinWithCommand() throws {
        let run = try sideBySide(
            setup: Self.setup,
            arguments: ["-X", "-c", "copy t from stdin", "-c", "copy t to stdout with (format csv, header)"],
            stdin: "1\tfirst\n2\tsecond\n\\.\n")
        defer { run.psqlDatabase.drop(); run.curateDatabase.drop() }
        #expect(run.curate.status == 0, "\(run.curate)")
        #expect(run.curate.stdout == run.psql.stdout)
        #expect(run.curate.stdout == "COPY 2\nn,s\n1,first\n2,second\n")
    }

    @Test("COPY TO STDOUT writes to the \\o file, without its status line")
    func toStdoutFollowsOutputFile() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("curate-copy-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let script = "insert into t values (1, 'a'), (2, 'b');\n\\o \(output.path)\ncopy t to stdout;\ncopy (select 42) to stdout;\n\\o\nselect 'back';\n"
        let run = try sideBySide(setup: Self.setup, arguments: ["-X"], stdin: script)
        defer { run.psqlDatabase.drop(); run.curateDatabase.drop() }
        #expect(run.curate.status == 0, "\(run.curate)")
        #expect(try String(contentsOf: output, encoding: .utf8) == "1\ta\n2\tb\n42\n")
        #expect(run.curate.stdout == run.psql.stdout)
    }

    @Test("an error in the data: the COPY loads nothing, the rest of the script runs with ON_ERROR_STOP off")
    func errorInData() throws {
        let script = "copy t from stdin;\n1\tok\nnot-a-number\tbad\n\\.\ninsert into t values (9, 'after');\n"
        let run = try sideBySide(setup: Self.setup, arguments: ["-X", "-v", "ON_ERROR_STOP=0"], stdin: script)
        defer { run.psqlDatabase.drop(); run.curateDatabase.drop() }
        #expect(run.curate.status == 0, "\(run.curate)")
        #expect(run.curate.stderr.contains("invalid input syntax for type integer: \"not-a-number\""))
        #expect(run.curate.stderr.contains("CONTEXT:  COPY t, line 2, column n: \"not-a-number\""))
        #expect(try run.curateDatabase.psql("select string_agg(n::text, ',' order by n) from t") == "9")
        #expect(run.curate.stdout == run.psql.stdout)
    }

    @Test("a large COPY round trip: every byte back as it went in")
    func largeRoundTrip() throws {
        var data = ""
        for n in 1...50_000 { data += "\(n)\tvalue \(n) with some text to make the line longer é\n" }
        let run = try sideBySide(setup: Self.setup, arguments: ["-X"], stdin: "copy t from stdin;\n\(data)\\.\ncopy t to stdout;\n")
        defer { run.psqlDatabase.drop(); run.curateDatabase.drop() }
        #expect(run.curate.status == 0, "\(run.curate.stderr)")
        #expect(run.curate.stdout == "COPY 50000\n" + data)
    }

    /// curate at a terminal on a fresh database holding table `t`, at its first prompt.
    private static func terminalWithTable() throws -> (TestDatabase, PTYSession) {
        let database = try TestDatabase.create(from: "template0")
        do {
            _ = try database.psql(setup)
            let terminal = try PTYSession(arguments: database.curateArguments + ["-X"])
            try terminal.waitFor("=# ")
            return (database, terminal)
        } catch {
            database.drop()
            throw error
        }
    }

    @Test("at a terminal: psql's prompt for the data, \\. ends it, and the session goes on")
    func atTerminal() throws {
        let (database, terminal) = try Self.terminalWithTable()
        defer { terminal.terminate(); database.drop() }
        try terminal.sendLine("copy t from stdin;")
        try terminal.waitFor("End with a backslash and a period on a line by itself, or an EOF signal.")
        try terminal.waitFor(">> ")
        try terminal.sendLine("1\tfrom the terminal")
        try terminal.waitFor(">> ")
        try terminal.sendLine("\\.")
        try terminal.waitFor("COPY 1")
        try terminal.waitFor("=# ")
        #expect(try database.psql("select s from t") == "from the terminal")
    }

    @Test("at a terminal: Ctrl-C cancels the COPY, nothing is loaded, the transaction and session stay usable")
    func controlCCancelsCopy() throws {
        let (database, terminal) = try Self.terminalWithTable()
        defer { terminal.terminate(); database.drop() }
        try terminal.sendLine("begin;")
        try terminal.waitFor("=*# ")
        try terminal.sendLine("insert into t values (1, 'kept');")
        try terminal.waitFor("INSERT 0 1")
        try terminal.sendLine("copy t from stdin;")
        try terminal.waitFor(">> ")
        try terminal.sendLine("2\tcancelled")
        try terminal.waitFor(">> ")
        try terminal.sendControl("c")
        try terminal.waitFor("canceled by user")
        try terminal.waitFor("=*# ")
        try terminal.sendLine("commit;")
        try terminal.waitFor("COMMIT")
        #expect(try database.psql("select string_agg(s, ',') from t") == "kept")
    }

    /// psql's messages name the program: the one difference allowed (decision 5).
    private func normalised(_ psqlOutput: String) -> String {
        psqlOutput.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("psql:") ? "curate:" + $0.dropFirst(5) : String($0) }
            .joined(separator: "\n")
    }

    @Test("\\copy in all its forms: files, programs, stdin/stdout, pstdout, queries, column lists, options, and psql's errors")
    func slashCopy() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-slashcopy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("t.csv").path
        let script = """
            \\copy t from stdin
            1\tone
            2\ttwo
            \\.
            \\copy t (n, s) to '\(out)' with (format csv)
            \\copy t (n, s) from program 'sed s/^/1/ \(out)' with (format csv)
            \\copy (select n, s from t where s <> 'x;y' order by n) to stdout with csv header
            \\copy t to pstdout
            \\copy t from program 'printf "7\\tseven\\n"'
            \\copy (select count(*) from t) to program 'cat'
            \\copy t to program 'cat > /dev/null; exit 3'
            \\copy t from '/nonexistent/file'
            \\copy t from '\(folder.path)'
            \\copy t frm stdin
            \\copy
            \\copy public.t from stdin;
            9\tnine
            \\.
            select count(*) from t;

            """
        let scriptPath = folder.appendingPathComponent("script.sql").path
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let run = try sideBySide(setup: "create table t (n int, s text)", arguments: ["-X", "-v", "ON_ERROR_STOP=0", "-f", scriptPath], mode: .combined)
        defer { run.psqlDatabase.drop(); run.curateDatabase.drop() }
        #expect(run.curate.combined == normalised(run.psql.combined))
        #expect(run.curate.combined.contains("script.sql:11: error: cat > /dev/null; exit 3: child process exited with exit code 3"))
        #expect(try run.curateDatabase.psql("select count(*) from t") == "6")
    }
}
