import CurateTestSupport
import Foundation
import Testing

/// curate's command line is psql 15's: each option does what psql's does, checked side by side
/// with the real psql where the output is meant to be the same (stdout byte for byte, the exit
/// status, and stderr with `psql:` and `curate:` made alike). What curate cannot do as psql does
/// is refused with status 1, never accepted and ignored.
@Suite("Command-line options as psql's")
struct CommandLineOptionTests {
    /// A script with results, a comment, a statement over two lines, a backslash command, command
    /// tags and an error in the middle.
    static let script = """
        select 1 as a;
        -- comment
        select 2
          as b;
        \\echo hi
        create temp table t(a int);
        insert into t values (1);
        select 1/0;
        select 3 as c;

        """

    struct Runs {
        let curate: CurateResult
        let psql: PsqlRun.Output

        var psqlStdout: String { String(decoding: psql.stdout, as: UTF8.self) }
        /// Both stderr texts with the program name made alike.
        var curateStderr: String { Self.normalised(curate.stderr, program: "curate") }
        var psqlStderr: String { Self.normalised(psql.stderr, program: "psql") }

        static func normalised(_ text: String, program: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.hasPrefix(program + ":") ? "PROGRAM:" + line.dropFirst(program.count + 1) : String(line)
            }.joined(separator: "\n")
        }
    }

    /// curate and psql with the same arguments (after -X) in `database`.
    func both(_ arguments: [String], in database: TestDatabase, stdin: String? = nil, psql: String = TestServer.psqlPath) throws -> Runs {
        Runs(
            curate: CurateProcess.run(in: database, arguments: ["-X"] + arguments, stdin: stdin),
            psql: try PsqlRun.run(["-X"] + arguments, in: database, stdin: stdin, psql: psql)
        )
    }

    /// Expects the same stdout and exit status.
    func expectSameOutput(_ runs: Runs, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(runs.curate.stdout == runs.psqlStdout, comment, sourceLocation: sourceLocation)
        #expect(runs.curate.status == runs.psql.status, "\(runs.curate)", sourceLocation: sourceLocation)
    }

    func scriptFile(_ text: String = script) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("curate-options-\(UUID().uuidString).sql").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    // MARK: -c and -f

    @Test("-c with several statements prints every result (psql 15's SHOW_ALL_RESULTS)")
    func commandPrintsEveryResult() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let runs = try both(["-c", "select 1 as a; select 2 as b; create temp table x(a int); insert into x values (1)"], in: database)
        expectSameOutput(runs)
        #expect(runs.curate.stdout.contains(" b \n") && runs.curate.stdout.hasSuffix("INSERT 0 1\n"))
    }

    @Test("-c sends its SQL as one query string: one implicit transaction, so an error leaves nothing done")
    func commandIsOneTransaction() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try database.psql("create table kept(a int)")
        let sql = "insert into kept values (1); select 1/0"
        let curate = CurateProcess.run(in: database, arguments: ["-X", "-c", sql])
        #expect(curate.stdout == "INSERT 0 1\n")
        #expect(curate.stderr.contains("division by zero"))
        #expect(try database.psql("select count(*) from kept") == "0")
        let psql = try PsqlRun.run(["-X", "-c", sql], in: database)
        #expect(curate.stdout == String(decoding: psql.stdout, as: UTF8.self))
        #expect(try database.psql("select count(*) from kept") == "0")
    }

    @Test("-c SQL is sent as written: no :variable interpolation")
    func commandIsNotInterpolated() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let runs = try both(["-v", "x=5", "-c", "select :x"], in: database)
        #expect(runs.curate.stdout == runs.psqlStdout)
        #expect(runs.curate.stderr.contains("syntax error at or near \":\""), "\(runs.curate)")
        #expect(runs.psql.stderr.contains("syntax error at or near \":\""))
    }

    @Test("-c starting with a backslash runs a backslash command")
    func commandBackslash() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        expectSameOutput(try both(["-v", "x=5", "-c", "\\echo hi :x"], in: database))
    }

    @Test("-c and -f, mixed and repeated, run in the order given")
    func commandsAndFilesInOrder() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let file = try scriptFile("select 10 as f;\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let runs = try both(["-c", "select 1 as a", "-f", file, "-c", "\\echo middle", "--file=\(file)", "--command=select 2 as b"], in: database)
        expectSameOutput(runs)
        #expect(runs.curate.stdout.components(separatedBy: " 10\n").count == 3)
    }

    // MARK: Options that set psql variables

    @Test("-a (ECHO=all) prints every line of a script as it is read", arguments: [["-a"], ["--echo-all"], ["-a", "-q"], ["-v", "ECHO=all"]])
    func echoAll(_ options: [String]) throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let file = try scriptFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let runs = try both(options + ["-v", "ON_ERROR_STOP=0", "-f", file], in: database)
        expectSameOutput(runs)
        #expect(runs.curate.stdout.hasPrefix("select 1 as a;\n"))
        // -c strings are echoed too (a backslash command without its backslash, as psql).
        expectSameOutput(try both(options + ["-c", "\\echo x", "-c", "select 1 as a"], in: database))
    }

    @Test("-e (ECHO=queries) prints each query before it is sent", arguments: [["-e"], ["--echo-queries"], ["-e", "-q"]])
    func echoQueries(_ options: [String]) throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let file = try scriptFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let runs = try both(options + ["-v", "ON_ERROR_STOP=0", "-f", file], in: database)
        expectSameOutput(runs)
        #expect(runs.curate.stdout.contains("select 2\n  as b;\n"))
        expectSameOutput(try both(options + ["-c", "select 1 as a; select 2 as b"], in: database))
    }

    @Test("-b (ECHO=errors) prints a failed query after its error, as psql's STATEMENT line")
    func echoErrors() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let file = try scriptFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let runs = try both(["-b", "-v", "ON_ERROR_STOP=0", "-f", file], in: database)
        expectSameOutput(runs)
        #expect(runs.curateStderr == runs.psqlStderr)
        #expect(runs.curate.stderr.contains("curate:\(file):8: STATEMENT:  select 1/0;\n"))
    }

    @Test("-q (QUIET) leaves out command tags and confirmations, not results")
    func quiet() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let file = try scriptFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        expectSameOutput(try both(["-q", "-v", "ON_ERROR_STOP=0", "-f", file], in: database))
        let runs = try both(
            ["--quiet", "-c", "create temp table q(a int); insert into q values (1) returning a", "-c", "\\timing on", "-c", "\\x", "-c", "\\pset format unaligned"],
            in: database)
        expectSameOutput(runs)
        #expect(!runs.curate.stdout.contains("INSERT") && !runs.curate.stdout.contains("Timing"))
        // Without -q, psql's confirmations are printed.
        expectSameOutput(try both(["-c", "\\timing on", "-c", "\\x", "-c", "\\pset format unaligned", "-c", "\\pset recordsep", "-c", "\\pset fieldsep_zero"], in: database))
    }

    @Test("-S (SINGLELINE): the end of a line ends the statement, unless a quote or parenthesis is open")
    func singleLine() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let file = try scriptFile("select 1 as a\nselect 2 as b; select 3\nas c;\nselect 'x\ny' as d\nselect (1\n+ 2) as e\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let runs = try both(["-S", "-v", "ON_ERROR_STOP=0", "-f", file], in: database)
        expectSameOutput(runs)
        #expect(runs.curate.stdout.contains(" e \n---\n 3\n"))
    }

    @Test("-s (SINGLESTEP) shows each query and asks; x cancels it")
    func singleStep() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let file = try scriptFile("select 1 as a;\nselect 2 as b;\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let runs = try both(["-s", "-v", "ON_ERROR_STOP=0", "-f", file], in: database, stdin: "x\n\n")
        expectSameOutput(runs)
        #expect(runs.curate.stdout.contains("***(Single step mode: verify command)***"))
        #expect(!runs.curate.stdout.contains(" a \n") && runs.curate.stdout.contains(" b \n"))
    }

    @Test("-v NAME=VALUE sets a variable; -v NAME alone unsets it")
    func variables() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        expectSameOutput(try both(["-v", "x=1", "--set=y=2", "--variable", "z=", "-c", "\\echo :x :y [:z]"], in: database))
        expectSameOutput(try both(["-v", "x=1", "-v", "x", "-c", "\\echo :x"], in: database))
    }

    // MARK: Output

    @Test("output formats and separators as psql's", arguments: [
        ["-A"], ["-A", "-F", ",", "-R", "#"], ["-A", "-z", "-0"], ["-A", "-x", "-R", "#"], ["-A", "-x", "-z", "-0"],
        ["-A", "-t", "-R", "#"], ["-x"], ["-t"], ["--csv"], ["--csv", "-A"], ["-A", "--csv"], ["-Atc"],
        ["-F", "x", "-z", "-A"], ["-z", "-F", "x", "-A"], ["--no-align", "--field-separator=;", "--record-separator-zero"],
        ["--expanded", "--tuples-only"], ["--field-separator-zero", "-A", "--record-separator", "\n\n"],
        // A value is the next argument whatever it looks like, as with psql's getopt.
        ["-A", "-F", "-A"], ["-A", "-F", "--csv"],
    ])
    func outputOptions(_ options: [String]) throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let query = "select 1 as a, 'x|y' as b union all select 3, null"
        let arguments = options.last == "-Atc" ? options + [query] : options + ["-c", query]
        expectSameOutput(try both(arguments, in: database))
    }

    @Test("-P sets an output option as \\pset does", arguments: [
        ["-P", "null=(null)"], ["-P", "format=unaligned", "-P", "footer=off"], ["--pset=tuples_only"], ["-P", "expanded"],
        ["-P", "recordsep=;", "-A"], ["-P", "fieldsep_zero", "-A"], ["-A", "-P", "format=aligned"], ["-P", "null"],
    ])
    func pset(_ options: [String]) throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        expectSameOutput(try both(options + ["-c", "select 1 as a, null as b"], in: database))
    }

    @Test("-P with a name psql does not know fails as psql's does; -P border, linestyle, format as psql")
    func psetOptions() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let unknown = try both(["-P", "foo=1", "-c", "select 1"], in: database)
        expectSameOutput(unknown)
        #expect(unknown.curate.status == 1)
        #expect(unknown.curateStderr == unknown.psqlStderr)
        let query = "select 1 as a, E'x\\ny' as b"
        for options in [["-P", "border=2"], ["-P", "border=0", "-P", "linestyle=unicode"], ["-P", "format=wrapped", "-P", "columns=5"], ["-P", "format=latex", "-P", "border=3"]] {
            let runs = try both(options + ["-c", query], in: database)
            expectSameOutput(runs, "\(options)")
            #expect(runs.curate.status == 0)
        }
    }

    @Test("-o sends results to a file, and echoed lines still to stdout")
    func outputFile() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-options-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let curateFile = folder.appendingPathComponent("curate.txt").path
        let psqlFile = folder.appendingPathComponent("psql.txt").path
        let curate = CurateProcess.run(in: database, arguments: ["-X", "-a", "-o", curateFile, "-c", "select 1 as a"])
        let psql = try PsqlRun.run(["-X", "-a", "--output", psqlFile, "-c", "select 1 as a"], in: database)
        #expect(curate.status == 0 && psql.status == 0)
        #expect(curate.stdout == String(decoding: psql.stdout, as: UTF8.self))
        #expect(try String(contentsOfFile: curateFile, encoding: .utf8) == String(contentsOfFile: psqlFile, encoding: .utf8))
        let missing = try both(["-o", folder.appendingPathComponent("no/such/file").path, "-c", "select 1"], in: database)
        expectSameOutput(missing)
    }

    @Test("-H and -T print html tables as psql's")
    func htmlOptions() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        for options in [["-H"], ["--html", "-T", "width=50%"], ["-A", "-H"], ["-H", "-A"], ["-H", "-x", "-T", "class=x"]] {
            let runs = try both(options + ["-c", "select 1 as a, '<x>' as b"], in: database)
            expectSameOutput(runs, "\(options)")
            #expect(runs.curate.status == 0)
        }
    }

    @Test("-L is refused with status 1: no session log")
    func refusedOptions() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        for (options, words) in [(["-L", "/tmp/curate-log"], "-L (--log-file)")] {
            let result = CurateProcess.run(in: database, arguments: ["-X"] + options + ["-c", "select 1"])
            #expect(result.status == 1 && result.stdout.isEmpty, "\(result)")
            #expect(result.stderr.contains(words + " is not supported"))
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/curate-log"))
    }

    // MARK: Connection and arguments

    @Test("DBNAME and USERNAME as positional arguments, as psql takes them")
    func positionalArguments() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let server = database.server
        let arguments = ["-X", "-h", server.host, "-p", server.port, "-A", "-c", "select current_database(), current_user", database.name, server.user]
        let curate = CurateProcess.run(arguments: arguments)
        #expect(curate.status == 0)
        #expect(curate.stdout.contains("\(database.name)|\(server.user)\n"))
    }

    @Test("a third positional argument is refused, not ignored (psql warns and goes on)")
    func extraArgumentRefused() throws {
        let result = CurateProcess.run(arguments: ["-X", "db", "user", "extra", "-c", "select 1"])
        #expect(result.status == 1 && result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("curate: error: extra command-line argument \"extra\""))
    }

    @Test("an option neither psql nor curate has is an error with status 1", arguments: [["-k"], ["--foo"], ["-c"], ["--help=bogus"]])
    func unknownOption(_ arguments: [String]) throws {
        let result = CurateProcess.run(arguments: arguments)
        #expect(result.status == 1 && result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("curate: error: "))
        #expect(result.stderr.hasSuffix("curate: hint: Try \"curate --help\" for more information.\n"))
    }

    @Test("-V and --version print curate's name and version, status 0")
    func version() throws {
        for option in ["-V", "--version"] {
            let result = CurateProcess.run(arguments: [option])
            #expect(result.status == 0)
            #expect(result.stdout.hasPrefix("curate ") && result.stdout.split(separator: "\n").count == 1)
        }
    }

    @Test("--help and --help=options list the options; --help=commands the backslash commands; --help=variables is refused")
    func help() throws {
        for option in ["--help", "-?", "--help=options"] {
            let result = CurateProcess.run(arguments: [option])
            #expect(result.status == 0)
            #expect(result.stdout.contains("-P, --pset <VAR[=ARG]>") && result.stdout.contains("--plugin-dir <DIR>"))
        }
        let commands = CurateProcess.run(arguments: ["--help=commands"])
        #expect(commands.status == 0)
        #expect(commands.stdout.contains("\\pset") && commands.stdout.contains("\\check"))
        let variables = CurateProcess.run(arguments: ["--help=variables"])
        #expect(variables.status == 1 && variables.stderr.contains("--help=variables is not supported"))
    }

    /// Describe output: the oracle is the psql of the server's version (psql 18 on an 18 server).
    @Test("-l lists the databases as the server's psql does, in each format")
    func listDatabases() throws {
        // A server of the test's own: databases made by tests running beside it would change the list.
        let server = try PrivateServer.start(seedSize: 1)
        defer { server.shutdown() }
        let database = try server.createDatabase()
        for options in [[], ["-A"], ["-x"], ["-A", "-x"], ["-t"], ["--csv"], ["-P", "null=X"], ["-A", "-R", "#"], ["--list", "-l"], ["-P", "border=2"], ["-P", "border=0", "-P", "linestyle=unicode"], ["-H"], ["-P", "format=troff-ms", "-x"], ["-E"]] {
            let runs = try both(["-l"] + options, in: database, psql: TestServer.serverPsqlPath)
            expectSameOutput(runs, "-l \(options)")
            #expect(runs.curate.stdout.contains(database.name))
        }
    }
}

/// The password options at a terminal: -w never asks, -W asks before connecting.
@Suite("Command-line password options", .enabled(if: ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD_ROLE"] != nil))
struct CommandLinePasswordTests {
    let role = ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD_ROLE"] ?? ""
    let password = ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD"] ?? ""

    @Test("-w at a terminal: no password is asked for; the connection fails with status 2")
    func neverAsks() throws {
        let server = try TestServer.fromEnvironment()
        let terminal = try PTYSession(arguments: ["-X", "-w", "-h", server.host, "-p", server.port, "-U", role, "-d", "postgres"], cols: 200)
        defer { terminal.terminate() }
        try terminal.waitFor("no password supplied")
        #expect(try terminal.waitForExit(timeout: 10) == 2)
        #expect(!terminal.rawTranscript.contains("Password"))
    }

    @Test("-W asks for the password before connecting, with psql's prompt")
    func asksFirst() throws {
        let server = try TestServer.fromEnvironment()
        let terminal = try PTYSession(arguments: ["-X", "-W", "-h", server.host, "-p", server.port, "-U", role, "-d", "postgres", "-c", "select current_user as who"], cols: 200)
        defer { terminal.terminate() }
        try terminal.waitFor("Password: ")
        try terminal.sendLine(password)
        try terminal.waitFor(role)
        #expect(try terminal.waitForExit(timeout: 10) == 0)
        #expect(!terminal.rawTranscript.contains(password))
    }
}

/// Options at a terminal: -n reads lines as typed after a plain prompt; -q leaves out the banner.
@Suite("Command-line options at a terminal")
struct CommandLineTerminalTests {
    @Test("-n reads the terminal line by line after a plain prompt")
    func noReadline() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X", "-n"], cols: 200)
        defer { terminal.terminate() }
        try terminal.waitFor("\(database.name)=# ")
        try terminal.sendLine("select 40 + 2 as answer;")
        try terminal.waitFor("     42")
        try terminal.waitFor("(1 row)")
        try terminal.waitFor("\(database.name)=# ")
        try terminal.sendLine("\\q")
        #expect(try terminal.waitForExit(timeout: 10) == 0)
    }

    @Test("-q at the terminal leaves out the banner, as psql")
    func quietBanner() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X", "-q"], cols: 200)
        defer { terminal.terminate() }
        try terminal.waitFor("\(database.name)=# ")
        #expect(!terminal.rawTranscript.contains("Type \\? for help"))
        try terminal.sendLine("\\q")
        #expect(try terminal.waitForExit(timeout: 10) == 0)
    }
}
