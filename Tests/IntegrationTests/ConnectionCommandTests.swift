import CurateTestSupport
import Foundation
import Testing

/// `\connect`, `\encoding`, `\password` and the large-object commands, compared with the real
/// psql 15 (stdout and stderr; only psql's `psql:` prefix is normalised), plus what curate adds:
/// no `\c` over an open transaction, read-only mode kept on the new connection, the password
/// never shown or stored.
@Suite("Connection commands")
struct ConnectionCommandTests {
    private struct Pair {
        let psql: CurateResult
        let curate: CurateResult
    }

    /// The same arguments through psql and through curate.
    private func sideBySide(_ arguments: [String], stdin: String? = nil, psqlDatabase: TestDatabase, curateDatabase: TestDatabase) -> Pair {
        let psql = CurateProcess.run(
            arguments: psqlDatabase.curateArguments + arguments, stdin: stdin,
            executable: URL(fileURLWithPath: TestServer.psqlPath))
        let curate = CurateProcess.run(arguments: curateDatabase.curateArguments + arguments, stdin: stdin)
        return Pair(psql: psql, curate: curate)
    }

    private func scriptFile(_ text: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("curate-connect-\(UUID().uuidString).sql")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// psql's messages with curate's program name.
    private func normalised(_ text: String, psql: Bool = false) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if psql { lines = lines.map { $0.hasPrefix("psql:") ? "curate:" + $0.dropFirst(5) : $0 } }
        return lines.joined(separator: "\n")
    }

    /// Large-object OIDs (which differ between the two runs) as `OID`.
    private func withoutOIDs(_ text: String) -> String {
        text.replacing(/\b\d{5,10}\b/, with: "OID")
    }

    // MARK: \connect

    @Test("\\c and \\connect in their forms print psql's messages and move DBNAME, USER, HOST, PORT")
    func connectForms() throws {
        let first = try TestDatabase.create(from: "template0")
        let second = try TestDatabase.create(from: "template0")
        defer { first.drop(); second.drop() }
        // A trailing slash names the same socket folder by another string: psql then reports
        // the host ("via socket in"), as for any host given anew.
        let script = try scriptFile("""
            \\c \(second.name)
            \\echo :DBNAME :USER :PORT :ENCODING
            select current_database();
            \\connect - - \(first.host)/ -
            \\echo :DBNAME :HOST
            \\c -reuse-previous=on \(second.name) -
            \\c
            \\c 'postgresql://\(first.user)@/\(first.name)?host=\(first.host)&port=\(first.port)'
            select current_database();
            \\c 'dbname=\(second.name) host=\(first.host) port=\(first.port) user=\(first.user)'
            \\echo :DBNAME
            \\c \(first.name) - - - extra
            \\echo :DBNAME

            """)
        defer { try? FileManager.default.removeItem(at: script) }
        let run = sideBySide(["-X", "-f", script.path], psqlDatabase: first, curateDatabase: first)
        #expect(run.psql.status == 0, "\(run.psql)")
        #expect(run.curate.status == 0, "\(run.curate)")
        #expect(run.curate.stdout == run.psql.stdout)
        #expect(run.curate.stderr == normalised(run.psql.stderr, psql: true))
        #expect(run.curate.stdout.contains("You are now connected to database \"\(second.name)\" as user \"\(first.user)\".\n"))
        #expect(run.curate.stdout.contains("via socket in \"\(first.host)/\" at port \"\(first.port)\"."))
        #expect(run.curate.stderr.contains("\\c: extra argument \"extra\" ignored"))
    }

    @Test("a failed \\c ends a script: psql's message, status 2 with ON_ERROR_STOP off and 3 with it on")
    func connectFailsInScript() throws {
        let database = try TestDatabase.create(from: "template0")
        defer { database.drop() }
        let script = try scriptFile("select 1 as before;\n\\c curate_no_such_database\nselect 2 as after;\n")
        defer { try? FileManager.default.removeItem(at: script) }
        for (stop, status) in [("0", Int32(2)), ("1", Int32(3))] {
            let run = sideBySide(["-X", "-v", "ON_ERROR_STOP=\(stop)", "-f", script.path], psqlDatabase: database, curateDatabase: database)
            #expect(run.psql.status == status, "\(run.psql)")
            #expect(run.curate.status == status, "\(run.curate)")
            #expect(run.curate.stdout == run.psql.stdout)
            #expect(!run.curate.stdout.contains("after"))
            #expect(run.curate.stderr == normalised(run.psql.stderr, psql: true))
            #expect(run.curate.stderr.contains("error: \\connect: connection to server"))
        }
        // curate's default (ON_ERROR_STOP on) stops with 3, never going on without a connection.
        let plain = CurateProcess.run(in: database, arguments: ["-X", "-f", script.path])
        #expect(plain.status == 3)
        #expect(!plain.stdout.contains("after"))
    }

    @Test("arguments psql refuses: psql's words, the connection kept")
    func connectRefusedArguments() throws {
        let database = try TestDatabase.create(from: "template0")
        defer { database.drop() }
        for line in ["\\c -reuse-previous=maybe \(database.name)", "\\c dbname=\(database.name) \(database.user)", "\\c 'host'"] {
            let script = try scriptFile(line + "\nselect current_database();\n")
            defer { try? FileManager.default.removeItem(at: script) }
            let run = sideBySide(["-X", "-v", "ON_ERROR_STOP=1", "-f", script.path], psqlDatabase: database, curateDatabase: database)
            #expect(run.psql.status == 3, "\(run.psql)")
            #expect(run.curate.status == 3, "\(run.curate)")
            #expect(run.curate.stdout == run.psql.stdout)
            #expect(run.curate.stderr == normalised(run.psql.stderr, psql: true), "\(line)")
        }
    }

    @Test("at the terminal a failed \\c keeps the previous connection, a good one changes the prompt")
    func connectAtTerminal() throws {
        let first = try TestDatabase.create(from: "template0")
        let second = try TestDatabase.create(from: "template0")
        defer { first.drop(); second.drop() }
        let terminal = try PTYSession(arguments: ["-X"] + first.curateArguments, cols: 250)
        defer { terminal.terminate() }
        try terminal.waitFor("@\(first.name)=# ")
        try terminal.sendLine("\\c curate_no_such_database")
        let failure = try terminal.waitFor("Previous connection kept")
        #expect(failure.contains("database \"curate_no_such_database\" does not exist"))
        try terminal.waitFor("@\(first.name)=# ")
        try terminal.sendLine("\\c \(second.name)")
        try terminal.waitFor("You are now connected to database \"\(second.name)\" as user \"\(first.user)\".")
        try terminal.waitFor("@\(second.name)=# ")
        try terminal.sendLine("\\echo :DBNAME :ENCODING")
        try terminal.waitFor("\(second.name) UTF8")
    }

    @Test("\\c with a transaction open is refused and the transaction stays open (psql would drop it)")
    func connectRefusedInTransaction() throws {
        let first = try TestDatabase.create(from: "template0")
        let second = try TestDatabase.create(from: "template0")
        defer { first.drop(); second.drop() }
        let terminal = try PTYSession(arguments: ["-X"] + first.curateArguments, cols: 250)
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("begin; create table kept (n int);")
        try terminal.waitFor("=*# ")
        try terminal.sendLine("\\c \(second.name)")
        try terminal.waitFor("COMMIT or ROLLBACK it first")
        try terminal.waitFor("@\(first.name)=*# ")
        try terminal.sendLine("commit;")
        try terminal.waitFor("@\(first.name)=# ")
        #expect(try first.psql("select count(*) from kept") == "0")

        let script = CurateProcess.run(in: first, arguments: ["-X", "-c", "begin", "-c", "\\c \(second.name)", "-c", "select 1"])
        #expect(script.status == 3)
        #expect(script.stderr.contains("COMMIT or ROLLBACK it first"))
    }

    @Test("read-only mode is put on the new connection too")
    func readOnlyAfterConnect() throws {
        let first = try TestDatabase.create(from: "template0")
        let second = try TestDatabase.create(from: "template0")
        defer { first.drop(); second.drop() }
        let result = CurateProcess.run(
            in: first, arguments: ["-X", "--read-only", "-v", "ON_ERROR_STOP=0", "-A", "-t",
                                   "-c", "\\c \(second.name)", "-c", "show default_transaction_read_only", "-c", "create table t (n int)"])
        #expect(result.stdout.contains("on\n"), "\(result)")
        #expect(result.stderr.contains("read-only transaction"), "\(result)")
        #expect(try second.psql("select count(*) from pg_class where relname = 't'") == "0")
    }

    // MARK: \encoding

    @Test("\\encoding shows and sets the client encoding; ENCODING follows it and SET client_encoding")
    func encoding() throws {
        let database = try TestDatabase.create(from: "template0")
        defer { database.drop() }
        let script = try scriptFile("""
            \\encoding
            set client_encoding = 'SQL_ASCII';
            \\echo :ENCODING
            \\encoding unicode
            \\echo :ENCODING
            \\encoding SQL_ASCII
            \\echo :ENCODING
            \\encoding utf8
            \\encoding
            \\encoding no_such_encoding
            \\echo :ENCODING

            """)
        defer { try? FileManager.default.removeItem(at: script) }
        let run = sideBySide(["-X", "-v", "ON_ERROR_STOP=0", "-f", script.path], psqlDatabase: database, curateDatabase: database)
        #expect(run.curate.status == 0, "\(run.curate)")
        #expect(run.curate.stdout == run.psql.stdout)
        #expect(run.curate.stdout == "UTF8\nSET\nSQL_ASCII\nUTF8\nSQL_ASCII\nUTF8\nUTF8\n")
        #expect(run.curate.stderr == normalised(run.psql.stderr, psql: true))
    }

    @Test("\\encoding to anything but UTF8 is refused: curate would print its text mangled")
    func encodingOtherThanUTF8() throws {
        let database = try TestDatabase.create(from: "template0")
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\encoding LATIN1", "-c", "select 1"])
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("LATIN1: curate reads and prints text as UTF8 only"))
        #expect(!result.stdout.contains("1 row"))
    }

    // MARK: Large objects

    @Test("\\lo_import, \\lo_export, \\lo_unlink and \\lo_list as psql, errors included")
    func largeObjects() throws {
        let psqlDatabase = try TestDatabase.create(from: "template0")
        let curateDatabase = try TestDatabase.create(from: "template0")
        defer { psqlDatabase.drop(); curateDatabase.drop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-lo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("source.bin")
        let bytes = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 * 7) })
        try bytes.write(to: source)
        func script(_ exported: String) -> String {
            """
            \\lo_import \(source.path)
            \\echo :LASTOID
            \\lo_import \(source.path) 'a comment'
            \\lo_list
            \\lo_list+
            \\lo_export :LASTOID \(folder.path)/\(exported)
            \\lo_unlink :LASTOID
            \\lo_unlink 999999
            \\lo_import \(folder.path)/missing.bin
            \\lo_export 999999 \(folder.path)/never.bin
            \\lo_export
            begin;
            \\lo_import \(source.path)
            rollback;
            begin;
            select 1/0;
            \\lo_import \(source.path)
            rollback;
            \\lo_list

            """
        }
        let psqlScript = try scriptFile(script("psql.bin"))
        let curateScript = try scriptFile(script("curate.bin"))
        defer { try? FileManager.default.removeItem(at: psqlScript); try? FileManager.default.removeItem(at: curateScript) }
        let psql = CurateProcess.run(
            arguments: psqlDatabase.curateArguments + ["-X", "-v", "ON_ERROR_STOP=0", "-f", psqlScript.path],
            executable: URL(fileURLWithPath: TestServer.psqlPath))
        let curate = CurateProcess.run(in: curateDatabase, arguments: ["-X", "-v", "ON_ERROR_STOP=0", "-f", curateScript.path])
        #expect(curate.status == psql.status, "\(curate)")
        #expect(withoutOIDs(curate.stdout) == withoutOIDs(psql.stdout))
        // Server errors are compared by their lines, without curate's STATEMENT lines.
        let curateErrors = withoutOIDs(curate.stderr.replacing(curateScript.path, with: "SCRIPT"))
            .split(separator: "\n").filter { !$0.hasPrefix("STATEMENT:") }
        let psqlErrors = withoutOIDs(normalised(psql.stderr.replacing(psqlScript.path, with: "SCRIPT"), psql: true)).split(separator: "\n")
        #expect(curateErrors == psqlErrors)
        #expect(curate.stdout.contains("lo_export\n") && curate.stdout.contains("Large objects"))
        #expect(try Data(contentsOf: folder.appendingPathComponent("curate.bin")) == bytes)
        #expect(try curateDatabase.psql("select count(*) from pg_largeobject_metadata") == "1")
    }

    @Test("\\lo_list's title as psql places it: centred, above expanded records, none in csv, -t or an empty expanded list")
    func largeObjectListFormats() throws {
        let psqlDatabase = try TestDatabase.create(from: "template0")
        let curateDatabase = try TestDatabase.create(from: "template0")
        let emptyDatabase = try TestDatabase.create(from: "template0")
        defer { psqlDatabase.drop(); curateDatabase.drop(); emptyDatabase.drop() }
        for database in [psqlDatabase, curateDatabase] {
            try database.psql("""
                select lo_from_bytea(0, 'x'::bytea);
                do $$ begin execute format('comment on large object %s is %L', (select max(oid) from pg_largeobject_metadata), 'a wider description'); end $$;
                """)
        }
        let script = try scriptFile("\\lo_list\n\\lo_list+\n\\x\n\\lo_list\n")
        defer { try? FileManager.default.removeItem(at: script) }
        for options in [[], ["-A"], ["--csv"], ["-t"]] {
            let psql = CurateProcess.run(
                arguments: psqlDatabase.curateArguments + ["-X"] + options + ["-f", script.path],
                executable: URL(fileURLWithPath: TestServer.psqlPath))
            let curate = CurateProcess.run(in: curateDatabase, arguments: ["-X"] + options + ["-f", script.path])
            #expect(curate.status == 0, "\(curate)")
            #expect(withoutOIDs(curate.stdout) == withoutOIDs(psql.stdout), "\(options)")
            let empty = sideBySide(["-X"] + options + ["-f", script.path], psqlDatabase: emptyDatabase, curateDatabase: emptyDatabase)
            #expect(empty.curate.stdout == empty.psql.stdout, "\(options)")
        }
    }

    @Test("a pg_dump -C of a database with a hard name (\\encoding SQL_ASCII, \\connect -reuse-previous=on) restores as through psql")
    func createDatabaseDump() throws {
        let name = "curate Mixed'Case \(UUID().uuidString.prefix(8))"
        let source = try TestDatabase.create(from: "template0", name: name)
        defer { source.drop() }
        try source.psql("create table t (n int); insert into t values (1), (2);")
        let dump = FileManager.default.temporaryDirectory.appendingPathComponent("curate-create-dump-\(UUID().uuidString).sql")
        defer { try? FileManager.default.removeItem(at: dump) }
        let pgDump = URL(fileURLWithPath: TestServer.programsFolder).appendingPathComponent("pg_dump")
        let dumped = CurateProcess.run(arguments: source.curateArguments + ["-C", "-f", dump.path], executable: pgDump)
        #expect(dumped.status == 0, "\(dumped)")
        let text = try String(contentsOf: dump, encoding: .utf8)
        #expect(text.contains("\\encoding SQL_ASCII") && text.contains("\\connect -reuse-previous=on"))
        var runs: [CurateResult] = []
        for executable in [URL(fileURLWithPath: TestServer.psqlPath), nil] {
            source.drop()
            let maintenance = TestDatabase(name: "postgres", server: source.server)
            runs.append(CurateProcess.run(arguments: maintenance.curateArguments + ["-X", "-f", dump.path], executable: executable))
            #expect(try source.psql("select string_agg(n::text, ',' order by n) from t") == "1,2")
        }
        #expect(runs[1].status == 0, "\(runs[1])")
        #expect(runs[1].stdout == runs[0].stdout)
        #expect(runs[1].stdout.contains("You are now connected to database \"\(name)\""))
        #expect(runs[1].stderr == normalised(runs[0].stderr, psql: true))
    }

    @Test("the large objects of a plain pg_dump restore through curate -f as through psql")
    func largeObjectsFromPlainDump() throws {
        let sourceDatabase = try TestDatabase.create(from: "template0")
        let psqlDatabase = try TestDatabase.create(from: "template0")
        let curateDatabase = try TestDatabase.create(from: "template0")
        defer { sourceDatabase.drop(); psqlDatabase.drop(); curateDatabase.drop() }
        try sourceDatabase.psql("""
            select lo_from_bytea(0, '\\x0001027f80ff'::bytea);
            select lo_from_bytea(0, convert_to(repeat('large object text ', 3000), 'UTF8'));
            do $$ begin execute format('comment on large object %s is %L', (select min(oid) from pg_largeobject_metadata), 'the first'); end $$;
            """)
        let dump = FileManager.default.temporaryDirectory.appendingPathComponent("curate-lo-dump-\(UUID().uuidString).sql")
        defer { try? FileManager.default.removeItem(at: dump) }
        let pgDump = URL(fileURLWithPath: TestServer.programsFolder).appendingPathComponent("pg_dump")
        let dumped = CurateProcess.run(arguments: sourceDatabase.curateArguments + ["-f", dump.path], executable: pgDump)
        #expect(dumped.status == 0, "\(dumped)")
        #expect(try String(contentsOf: dump, encoding: .utf8).contains("lowrite"))
        let psql = CurateProcess.run(
            arguments: psqlDatabase.curateArguments + ["-X", "-f", dump.path], executable: URL(fileURLWithPath: TestServer.psqlPath))
        let curate = CurateProcess.run(in: curateDatabase, arguments: ["-X", "-f", dump.path])
        #expect(curate.status == 0, "\(curate)")
        #expect(curate.stdout == psql.stdout)
        #expect(curate.stderr == normalised(psql.stderr, psql: true))
        let contents = "select oid, md5(lo_get(oid)), obj_description(oid, 'pg_largeobject') from pg_largeobject_metadata order by 1"
        #expect(try curateDatabase.psql(contents) == sourceDatabase.psql(contents))
    }
}

/// `\password` at a terminal: asked twice without echo, encrypted on the client, never shown
/// or stored in history.
@Suite("\\password", .serialized, .enabled(if: ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD_ROLE"] != nil))
struct PasswordCommandTests {
    let role = ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD_ROLE"] ?? ""
    let password = ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD"] ?? ""

    @Test("the new password is sent encrypted, works for logging in, and appears nowhere")
    func changesPassword() throws {
        let database = try TestDatabase.create(from: "template0")
        defer { database.drop() }
        // The role keeps its password (set anew, so other tests logging in as it are not
        // disturbed); what changes is the stored SCRAM verifier, which proves the command ran.
        let before = try database.psql("select rolpassword from pg_authid where rolname = '\(role)'")
        let terminal = try PTYSession(arguments: ["-X"] + database.curateArguments, cols: 200)
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\password \(role)")
        try terminal.waitFor("Enter new password for user \"\(role)\": ")
        try terminal.sendLine(password)
        try terminal.waitFor("Enter it again: ")
        try terminal.sendLine(password)
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\q")
        _ = try terminal.waitForExit(timeout: 10)
        let after = try database.psql("select rolpassword from pg_authid where rolname = '\(role)'")
        #expect(after.hasPrefix("SCRAM-SHA-256$") && after != before)
        #expect(!terminal.rawTranscript.contains(password))
        let history = (try? String(contentsOf: terminal.home.appendingPathComponent(".curate_history"), encoding: .utf8)) ?? ""
        #expect(!history.contains(password))

        let login = CurateProcess.run(
            arguments: ["-X", "-h", database.host, "-p", database.port, "-U", role, "-d", database.name, "-A", "-t", "-c", "select current_user"],
            environment: ["PGPASSWORD": password])
        #expect(login.status == 0, "\(login)")
        #expect(login.stdout == role + "\n")
    }

    @Test("\\c to a role that needs a password asks for it; the next \\c as that role reuses it, as psql")
    func connectAsksForPassword() throws {
        let first = try TestDatabase.create(from: "template0")
        let second = try TestDatabase.create(from: "template0")
        defer { first.drop(); second.drop() }
        let terminal = try PTYSession(arguments: ["-X"] + first.curateArguments, cols: 200)
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\c - \(role)")
        try terminal.waitFor("Password for user \(role): ")
        try terminal.sendLine(password)
        try terminal.waitFor("You are now connected to database \"\(first.name)\" as user \"\(role)\".")
        try terminal.waitFor("\(role)@\(first.name)=> ")
        try terminal.sendLine("\\c \(second.name)")
        let reply = try terminal.waitFor("\(role)@\(second.name)=> ")
        #expect(!reply.contains("Password for user"))
        #expect(reply.contains("You are now connected to database \"\(second.name)\" as user \"\(role)\"."))
        #expect(!terminal.rawTranscript.contains(password))
    }

    @Test("Ctrl-C at the prompt cancels: nothing changed, and what is typed next runs as usual")
    func cancelled() throws {
        let database = try TestDatabase.create(from: "template0")
        defer { database.drop() }
        let before = try database.psql("select rolpassword from pg_authid where rolname = '\(role)'")
        let terminal = try PTYSession(arguments: ["-X"] + database.curateArguments, cols: 200)
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\password \(role)")
        try terminal.waitFor("Enter new password for user \"\(role)\": ")
        try terminal.sendControl("c")
        try terminal.waitFor("=# ")
        try terminal.sendLine("select 'after' || 'wards' as marker;")
        try terminal.waitFor("afterwards")
        try terminal.waitFor("=# ")
        #expect(try database.psql("select rolpassword from pg_authid where rolname = '\(role)'") == before)
    }

    @Test("two different answers: psql's message, nothing changed; an unquoted name is folded to lower case")
    func mismatch() throws {
        let database = try TestDatabase.create(from: "template0")
        defer { database.drop() }
        let before = try database.psql("select rolpassword from pg_authid where rolname = '\(role)'")
        let terminal = try PTYSession(arguments: ["-X"] + database.curateArguments, cols: 200)
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\password \(role.uppercased())")
        try terminal.waitFor("Enter new password for user \"\(role)\": ")
        try terminal.sendLine("first-secret-1")
        try terminal.waitFor("Enter it again: ")
        try terminal.sendLine("second-secret-2")
        try terminal.waitFor("Passwords didn't match.")
        try terminal.waitFor("=# ")
        #expect(try database.psql("select rolpassword from pg_authid where rolname = '\(role)'") == before)
        #expect(!terminal.rawTranscript.contains("first-secret-1") && !terminal.rawTranscript.contains("second-secret-2"))
    }
}
