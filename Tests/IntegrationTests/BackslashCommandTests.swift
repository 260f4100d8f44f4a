import CurateTestSupport
import Foundation
import Testing

/// psql's small backslash commands (\echo, \i, \o, \p, \w, \t, \a, \f, \C, \cd, \!, \getenv,
/// \setenv, \prompt, \errverbose, ...), run side by side with the real psql 15: standard output
/// and standard error must be the same, but for the program's name before messages.
@Suite("psql's backslash commands, side by side with psql")
struct BackslashCommandTests {
    /// Runs `script` as a file (`-f`) through psql and through curate, both going on after errors
    /// as psql does by default.
    private func sideBySide(
        _ script: String, arguments: [String] = [], stdin: String? = nil, environment: [String: String] = [:]
    ) throws -> (psql: CurateResult, curate: CurateResult) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-slash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("script.sql")
        try script.replacingOccurrences(of: "FOLDER", with: folder.path).write(to: file, atomically: true, encoding: .utf8)
        try "\\echo inner ran\n\\ir inner2.sql\n".write(to: folder.appendingPathComponent("inner.sql"), atomically: true, encoding: .utf8)
        try "\\echo inner2 ran\n".write(to: folder.appendingPathComponent("inner2.sql"), atomically: true, encoding: .utf8)
        let database = try TestDatabase.create()
        defer { database.drop() }
        let all = database.curateArguments + ["-X", "-v", "ON_ERROR_STOP=0"] + arguments + ["-f", file.path]
        let psql = CurateProcess.run(arguments: all, stdin: stdin, environment: environment, executable: URL(fileURLWithPath: TestServer.psqlPath))
        let curate = CurateProcess.run(arguments: all, stdin: stdin, environment: environment)
        return (psql, curate)
    }

    /// psql's messages with curate's name for the program, and the script's folder named alike.
    private func expectSame(_ run: (psql: CurateResult, curate: CurateResult), sourceLocation: SourceLocation = #_sourceLocation) {
        let psqlErrors = run.psql.stderr.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("psql:") ? "curate:" + $0.dropFirst(5) : String($0) }.joined(separator: "\n")
        #expect(run.curate.stdout == run.psql.stdout, sourceLocation: sourceLocation)
        #expect(run.curate.stderr == psqlErrors, sourceLocation: sourceLocation)
        #expect(run.curate.status == run.psql.status, "\(run.curate)", sourceLocation: sourceLocation)
    }

    @Test("\\echo, \\qecho and \\warn: -n, quoting and escapes, backquotes, variables")
    func echoFamily() throws {
        let run = try sideBySide(#"""
            \echo -n a 'b\tc' "d e" `echo hi` :v :'v' :"v" :{?v} :{?nope} :nope
            \echo
            \echo '-n' x -n
            \echo -n -n x
            \echo a''b 'it''s' 'x'y "a""b" 'o\101\x41\q' x:v :v:v a`echo x`b
            \echo `echo :v` `echo :'v'` `printf 'a\n\n'`z `exit 3`y
            \warn to stderr
            \qecho to the output
            \echo "unterminated
            \echo after
            \echo a;
            """#, arguments: ["-v", "v=it's"])
        expectSame(run)
        #expect(run.curate.stdout.hasPrefix("a b\tc \"d e\" hi it's 'it''s' \"it's\" TRUE FALSE :nope\n-n x -n\n-n xab"))
    }

    @Test("an unquoted backslash ends the arguments: \\\\ then SQL, or another command on the same line")
    func backslashEndsArguments() throws {
        let run = try sideBySide(#"""
            \echo a \\ select 1 as x;
            \echo a\echo b
            \echo 'q\\x' "d\e" c\\
            \t \\ \a \\ select 2 as y;
            \echo :v \\ \echo `echo '\\'` done
            \echo x \\
            select 3
            \p
            ;
            \! echo hi \\ there
            """#, arguments: ["-v", "v=5"])
        expectSame(run)
        #expect(run.curate.stdout.hasPrefix("a\n x \n---\n 1\n(1 row)\n\na\nb\n"))
    }

    @Test("\\i, \\ir and their long names: \\ir from the including file's folder; psql's errors (a missing file, a folder)")
    func include() throws {
        expectSame(try sideBySide("""
            \\i FOLDER/inner.sql
            \\include FOLDER/inner.sql
            \\ir inner.sql
            \\include_relative inner.sql
            \\i FOLDER/missing.sql
            \\ir missing.sql
            \\i FOLDER
            \\i ~/missing.sql
            \\i
            \\ir
            """))
    }

    @Test("\\p and \\w: the query buffer, or the last statement sent; to a file or a program")
    func printAndWriteBuffer() throws {
        expectSame(try sideBySide("""
            \\p
            select 1 as a
            \\p
            \\print
            \\w |cat
            \\r
            \\p
              select 42 as answer ;
            \\p
            \\w FOLDER/written.sql
            \\! cat FOLDER/written.sql
            \\write |exit 3
            \\w
            \\w FOLDER/no/such/file
            """))
    }

    @Test("\\o to a file and to a program: results and \\qecho go there, \\echo stays on stdout")
    func outputTargets() throws {
        // nl prints what it read when its input ends (stdio buffers its output to a pipe), so its
        // lines follow `\echo`'s as psql's do; `cat -n` prints as data arrives, which races `\echo`.
        let run = try sideBySide("""
            \\o |nl -ba
            select 1 as a;
            \\qecho to the pipe
            \\echo to stdout
            \\o
            \\o FOLDER/out.txt
            select 2 as b;
            \\qecho to the file
            \\out
            \\! cat FOLDER/out.txt
            \\o |tr a-z A-Z
            select 'left open at the end' as c;
            """)
        expectSame(run)
        #expect(run.curate.stdout.contains("     1\t a \n"))
        #expect(run.curate.stdout.hasSuffix("LEFT OPEN AT THE END\n(1 ROW)\n\n"))
    }

    @Test("\\o to a program that has ended: psql's error for the result, and the script stops")
    func outputToEndedProgram() throws {
        let script = "\\o |exit 3\nselect generate_series(1, 100000);\n\\o\n\\echo after\n"
        expectSame(try sideBySide(script))
        let stopping = try sideBySide(script, arguments: ["-v", "ON_ERROR_STOP=1"])
        expectSame(stopping)
        #expect(stopping.curate.status == 3)
        #expect(stopping.curate.stderr.hasSuffix(":2: error: could not print result table: Broken pipe\n"))
    }

    @Test("\\t, \\a, \\f and \\C: psql's confirmations, and the title above every format")
    func outputFormat() throws {
        expectSame(try sideBySide("""
            \\C 'My title'
            select 1 as a, 'xyzzyxyzzy' as b;
            \\C 'a title wider than the table it is above'
            select 1 as a;
            \\a
            select 1 as a, 2 as b;
            \\x
            select 1 as a, 2 as b union all select 3, 4;
            select 1 where false;
            \\a
            select 1 as a, 2 as b;
            select 1 as a where false;
            \\x
            select 1 as a where false;
            \\pset format csv
            select 1 as a;
            \\pset format aligned
            \\pset title
            \\pset title T
            \\C
            \\t
            select 1 as a;
            \\t off
            \\t on;
            \\t
            \\t bogus
            \\pset tuples_only on
            \\pset tuples_only
            \\pset footer off
            \\f ;
            \\f
            \\a x
            """))
    }

    @Test("\\cd, \\!, \\setenv and \\getenv")
    func environment() throws {
        expectSame(try sideBySide("""
            \\cd FOLDER
            \\! pwd
            \\cd FOLDER/missing
            \\setenv CURATE_TEST_X hello
            \\! echo "[$CURATE_TEST_X]"
            \\setenv CURATE_TEST_X
            \\! echo "[$CURATE_TEST_X]"
            \\setenv A=B
            \\setenv
            \\getenv v CURATE_TEST_UNSET
            \\echo :{?v}
            \\getenv v CURATE_TEST_Y
            \\echo :v
            \\getenv v
            \\cd
            \\! pwd
            """, environment: ["CURATE_TEST_Y": "from the environment"]))
    }

    @Test("\\prompt: in a script file the text goes to stdout and the value comes from stdin")
    func promptInScriptFile() throws {
        let run = try sideBySide("""
            \\prompt 'Name? ' who
            \\echo [:who]
            \\prompt other
            \\echo [:other]
            \\prompt
            """, stdin: "bob\n")
        expectSame(run)
        #expect(run.curate.stdout == "Name? [bob]\n[:other]\n")
    }

    @Test("\\prompt with the script on standard input (no terminal): the next line is the value")
    func promptPiped() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let script = "\\prompt 'Name? ' who\nalice\n\\echo [:who]\n\\prompt last\n"
        let arguments = database.curateArguments + ["-X", "-v", "ON_ERROR_STOP=0"]
        // setsid: no controlling terminal, so /dev/tty cannot be opened, as in a pipeline.
        let psql = CurateProcess.run(arguments: [TestServer.psqlPath] + arguments, stdin: script, executable: URL(fileURLWithPath: "/usr/bin/setsid"))
        let curate = CurateProcess.run(arguments: [CurateBinary.url.path] + arguments, stdin: script, executable: URL(fileURLWithPath: "/usr/bin/setsid"))
        #expect(curate.stdout == psql.stdout)
        #expect(curate.stderr == psql.stderr)
        #expect(curate.stdout == "[alice]\n")
        #expect(curate.stderr == "Name? ")
    }

    @Test("\\errverbose: psql's message, nothing failed")
    func errorVerbose() throws {
        expectSame(try sideBySide("""
            \\errverbose
            select * from no_such_table;
            \\errverbose
            \\echo after
            """, arguments: ["-v", "ON_ERROR_STOP=1"]))
    }

    @Test("commands psql 15 has and curate does not are refused by name; unknown ones as psql says")
    func refusedCommands() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        for name in ["copyright"] {
            let run = CurateProcess.run(arguments: database.curateArguments + ["-X", "-c", "\\\(name) x", "-c", "\\echo not reached"])
            #expect(run.status == 3, "\(run)")
            #expect(run.stdout == "")
            #expect(run.stderr.contains("\\\(name) is not implemented in curate"), "\(run)")
        }
        expectSame(try sideBySide("\\xyz\n\\bind\n\\echo after\n"))
    }

    @Test("\\s without a terminal: no history; curate says so and the script stops")
    func historyWithoutTerminal() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let run = CurateProcess.run(arguments: database.curateArguments + ["-X"], stdin: "\\s\n\\echo not reached\n")
        #expect(run.status == 3)
        #expect(run.stdout == "\n")
        #expect(run.stderr.contains("\\s: there is no command history: input is not read from a terminal"), "\(run)")
    }
}

/// The commands that talk to the person at the terminal.
@Suite("psql's backslash commands at a terminal")
struct BackslashCommandTerminalTests {
    @Test("\\prompt asks at the terminal; \\s writes the history to a file and says so")
    func promptAndHistory() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("curate-history-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"], rows: 24, cols: 200)
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\prompt 'Your name: ' who")
        try terminal.waitFor("Your name: ")
        try terminal.sendLine("carol")
        try terminal.sendLine("\\echo [:who]")
        try terminal.waitFor("[carol]")
        try terminal.sendLine("\\s \(file.path)")
        try terminal.waitFor("Wrote history to file \"\(file.path)\".")
        try terminal.sendLine("\\q")
        _ = try terminal.waitForExit(timeout: 30)
        let history = try String(contentsOf: file, encoding: .utf8)
        #expect(history.contains("echo"), "\(history)")
    }
}
