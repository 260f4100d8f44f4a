import CurateTestSupport
import Foundation
import Testing

/// The password of a password-authenticated session (the SCRAM role scripts/test makes) never
/// shows: not in the arguments of the programs curate starts, not in the history file, not in
/// the audit table, not in `\conninfo`, not in error messages, not in anything curate prints.
///
/// Backup files and their manifests are created 0600 (BackupRestoreIntegrationTests,
/// `formats`), the history file too (InteractiveSessionTests, `historyFile`); the passfile
/// given to pg_dump is 0600 in a 0700 folder (BackupRestoreIntegrationTests,
/// `passwordNotInArguments`). Those are not repeated here.
@Suite("Secrets: the password stays out of arguments, history, the audit table and messages",
       .enabled(if: ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD_ROLE"] != nil))
struct SecretTests {
    let role = ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD_ROLE"] ?? ""
    let password = ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD"] ?? ""

    /// How the password reaches curate.
    enum PasswordSource: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case prompt, environment, connectionString
        var testDescription: String {
            switch self {
            case .prompt: "typed at the password prompt"
            case .environment: "PGPASSWORD"
            case .connectionString: "password= inside -d"
            }
        }
    }

    // MARK: Helpers

    /// A database of the test's own whose tables the password role owns (so it can dump,
    /// restore and fix them), where it may create the audit schema.
    private func ownedDatabase() throws -> TestDatabase {
        let database = try TestDatabase.create()
        try database.psql("""
            GRANT CREATE, CONNECT ON DATABASE \(TestDatabase.quoteIdentifier(database.name)) TO \(role);
            GRANT USAGE, CREATE ON SCHEMA public TO \(role);
            DO $$ DECLARE r record; BEGIN
              FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
                EXECUTE format('ALTER TABLE public.%I OWNER TO \(role)', r.tablename);
              END LOOP;
            END $$;
            """)
        return database
    }

    private func temporaryFolder(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "curate-secret-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// curate's connection options for `source` (the password itself only for the connection string).
    private func connectionArguments(_ database: TestDatabase, _ source: PasswordSource) -> [String] {
        switch source {
        case .prompt, .environment:
            return ["-X", "-h", database.host, "-p", database.port, "-U", role, "-d", database.name]
        case .connectionString:
            return ["-X", "-d", "host=\(database.host) port=\(database.port) user=\(role) dbname=\(database.name) password=\(password)"]
        }
    }

    /// A folder of pg_dump, pg_restore, psql and pg_dumpall wrappers for CURATE_PGBIN. Each
    /// records the arguments it was given, whether a PGPASSWORD or PGPASSFILE reached it, and
    /// — every 50 ms while the real program runs as its child — the command line of every
    /// process curate has started and of the real program (read from /proc/PID/cmdline, as any
    /// other user of the machine could).
    private func recordingWrappers() throws -> String {
        let bin = try temporaryFolder("bin")
        let real = TestServer.programsFolder
        let wrapper = """
            #!/bin/bash
            log=\(bin)/log
            curate=$PPID
            echo "ARGS $(basename "$0"): $*" >> "$log"
            [ -n "${PGPASSWORD:-}" ] && echo "ENV PGPASSWORD=$PGPASSWORD" >> "$log"
            [ -n "${PGPASSFILE:-}" ] && echo "ENV PGPASSFILE" >> "$log"
            scan() {
                for status in $(grep -l -E "^PPid:[[:space:]]+($curate|$$)$" /proc/[0-9]*/status 2>/dev/null); do
                    dir=${status%/status}
                    line=$(tr '\\0' ' ' < "$dir/cmdline" 2>/dev/null)
                    [ -n "$line" ] && echo "CMDLINE ${dir#/proc/}: $line" >> "$log"
                done
            }
            "\(real)/$(basename "$0")" "$@" &
            child=$!
            while kill -0 "$child" 2>/dev/null; do scan; sleep 0.05; done
            wait "$child"
            """
        for tool in ["pg_dump", "pg_restore", "psql", "pg_dumpall"] {
            _ = FileManager.default.createFile(atPath: bin + "/" + tool, contents: Data(wrapper.utf8),
                                               attributes: [.posixPermissions: 0o755])
        }
        return bin
    }

    private func backups(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".pg_dump_c") }.sorted()
    }

    // MARK: Tests

    @Test("pg_dump and pg_restore never see the password in their arguments; \\conninfo and the session's output never show it",
          arguments: PasswordSource.allCases)
    func childArguments(source: PasswordSource) throws {
        let database = try ownedDatabase()
        defer { database.drop() }
        let target = "\(database.name)_into"
        _ = try database.server.psql(
            "CREATE DATABASE \(TestDatabase.quoteIdentifier(target)) OWNER \(role) TEMPLATE template0;", database: "postgres")
        defer {
            _ = try? database.server.psql("DROP DATABASE IF EXISTS \(TestDatabase.quoteIdentifier(target)) WITH (FORCE);",
                                          database: "postgres")
        }
        let folder = try temporaryFolder("backups")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bin = try recordingWrappers()
        defer { try? FileManager.default.removeItem(atPath: bin) }

        var output = ""
        var conninfo = ""
        switch source {
        case .prompt:
            let terminal = try PTYSession(arguments: connectionArguments(database, source), cols: 200,
                                          environment: ["CURATE_PGBIN": bin], defaultTimeout: 60)
            defer { terminal.terminate() }
            try terminal.waitFor("Password for user \(role): ")
            try terminal.sendLine(password)
            try terminal.waitFor("=> ")
            try terminal.sendLine("\\backup --dir \(folder)")
            try terminal.waitFor("verified", timeout: 120)
            try terminal.waitFor("=> ")
            let file = try #require(try backups(in: folder).first)
            try terminal.sendLine("\\restore \(folder)/\(file) --into \(target) --clean --yes")
            try terminal.waitFor("restore: ", timeout: 120)
            try terminal.waitFor("=> ")
            try terminal.sendLine("\\conninfo")
            conninfo = try terminal.waitFor("=> ")
            try terminal.sendLine("\\q")
            #expect(try terminal.waitForExit(timeout: 20) == 0)
            output = terminal.rawTranscript
        case .environment, .connectionString:
            let environment = ["CURATE_PGBIN": bin].merging(source == .environment ? ["PGPASSWORD": password] : [:]) { _, new in new }
            let backup = CurateProcess.run(arguments: connectionArguments(database, source) + ["-c", "\\backup --dir \(folder)"],
                                           environment: environment, mode: .combined, timeout: 300)
            #expect(backup.status == 0, "\(backup)")
            let file = try #require(try backups(in: folder).first, "\(backup)")
            let restore = CurateProcess.run(
                arguments: connectionArguments(database, source)
                    + ["-c", "\\restore \(folder)/\(file) --into \(target) --clean --yes", "-c", "\\conninfo"],
                environment: environment, mode: .combined, timeout: 300)
            #expect(restore.status == 0, "\(restore)")
            output = backup.combined + restore.combined
            conninfo = restore.combined
        }

        #expect(output.contains("verified"), "\(output)")
        #expect(output.contains("restore: "), "\(output)")
        #expect(!output.contains("no password supplied"), "\(output)")
        #expect(conninfo.contains("You are connected to database \"\(database.name)\" as user \"\(role)\""), "\(conninfo)")
        // The session's whole output (the typed password is never echoed at the prompt).
        #expect(!output.contains(password), "\(output)")
        // The restore really reached the target as the role.
        #expect(try database.server.psql("SELECT count(*) FROM file", database: target) == "200")

        let log = try String(contentsOfFile: bin + "/log", encoding: .utf8)
        let arguments = log.split(separator: "\n").filter { $0.hasPrefix("ARGS ") }
        #expect(arguments.contains { $0.hasPrefix("ARGS pg_dump:") && !$0.contains("--version") }, "\(log)")
        #expect(arguments.contains { $0.hasPrefix("ARGS pg_restore:") && !$0.contains("--version") }, "\(log)")
        let commandLines = log.split(separator: "\n").filter { $0.hasPrefix("CMDLINE ") }
        #expect(commandLines.contains { $0.contains("/pg_dump ") }, "no pg_dump process was sampled:\n\(log)")
        #expect(commandLines.contains { $0.contains("/pg_restore ") }, "no pg_restore process was sampled:\n\(log)")
        for line in arguments + commandLines {
            #expect(!line.contains(password), "\(line)")
        }
        // The password went through a private passfile, never PGPASSWORD (not even when the
        // user gave it that way).
        #expect(!log.contains("ENV PGPASSWORD"), "\(log)")
        #expect(log.contains("ENV PGPASSFILE"), "\(log)")
    }

    @Test("statements that carry a password are kept out of the history file")
    func history() throws {
        let database = try ownedDatabase()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: connectionArguments(database, .prompt), cols: 200, defaultTimeout: 30)
        defer { terminal.terminate() }
        try terminal.waitFor("Password for user \(role): ")
        try terminal.sendLine(password)
        try terminal.waitFor("=> ")
        let secretEntries = [
            // The role sets its own password again (the same one: other tests use it).
            "ALTER ROLE \(role) PASSWORD '\(password)';",
            "alter user \(role)\n  with encrypted password '\(password)';",
            "SELECT 'host=db.example.org user=\(role) password=\(password)' AS conninfo;",
            "SELECT 'postgresql://\(role):\(password)@db.example.org/fits' AS uri;",
            "\\password \(role)",
        ]
        for entry in secretEntries {
            let lines = entry.split(separator: "\n").map(String.init)
            for line in lines { try terminal.sendLine(line) }
            if entry.hasPrefix("\\password") {
                // Set to the same password again, typed at its prompts (never on the command line).
                try terminal.waitFor("Enter new password for user \"\(role)\": ")
                try terminal.sendLine(password)
                try terminal.waitFor("Enter it again: ")
                try terminal.sendLine(password)
            }
            try terminal.waitFor("=> ")
        }
        try terminal.sendLine("SELECT 'kept-in-history' AS marker;")
        try terminal.waitFor("(1 row)")
        try terminal.waitFor("=> ")
        try terminal.sendLine("\\q")
        _ = try terminal.waitForExit(timeout: 20)

        let path = terminal.home.appendingPathComponent(".curate_history").path
        let history = try String(contentsOfFile: path, encoding: .utf8)
        #expect(history.contains("kept-in-history"), "\(history)")
        #expect(!history.contains(password), "\(history)")
        #expect(!history.lowercased().contains("password"), "\(history)")
        // The password still works (ALTER ROLE ran and set the same one).
        let check = CurateProcess.run(arguments: connectionArguments(database, .environment) + ["-A", "-t", "-c", "select current_user"],
                                      environment: ["PGPASSWORD": password])
        #expect(check.stdout == role + "\n", "\(check)")
    }

    @Test("a fix run by a password-authenticated session leaves nothing secret in curate.audit")
    func auditTable() throws {
        let database = try ownedDatabase()
        defer { database.drop() }
        let result = CurateProcess.run(
            arguments: connectionArguments(database, .connectionString) + ["-c", "\\fix duplicate-canonical --commit --yes", "-c", "\\fix history"],
            mode: .combined, timeout: 120)
        #expect(result.status == 0, "\(result)")
        #expect(result.combined.contains("Committed"), "\(result)")
        #expect(!result.combined.contains(password), "\(result)")
        let records = try database.psql("SELECT count(*) FROM curate.audit")
        #expect(records == "1")
        #expect(try database.psql("SELECT database_user FROM curate.audit") == role)
        let everything = try database.psql("""
            SELECT a::text FROM curate.audit a
            UNION ALL SELECT r::text FROM curate.audit_row r
            """)
        #expect(!everything.isEmpty)
        #expect(!everything.contains(password), "\(everything)")
    }

    @Test("connection errors never echo the password of a connection string or URI")
    func connectionErrors() throws {
        let server = try TestServer.fromEnvironment()
        let cases: [(String, String)] = [
            ("host=\(server.host) port=\(server.port) user=\(role) dbname=curate_no_such_db password=\(password)", "does not exist"),
            ("postgresql://\(role):\(password)@/curate_no_such_db?host=\(server.host)&port=\(server.port)", "does not exist"),
            ("host=\(server.host) port=\(server.port) user=\(role) dbname=postgres password=wrong-\(password)", "password authentication failed"),
            ("host=\(server.host) port=\(server.port) user=\(role) dbname=postgres password=\(password) sslmode=bogus", "sslmode"),
            ("host=\(server.host) port=\(server.port) user=\(role) dbname=postgres password=\(password) no_such_option=1", "no_such_option"),
            ("host=\(server.host) port=\(server.port) user=\(role) dbname=postgres password='\(password)", "unterminated"),
        ]
        for (connection, expected) in cases {
            let result = CurateProcess.run(arguments: ["-X", "-d", connection, "-c", "select 1"], mode: .combined)
            #expect(result.status == 2, "\(connection): \(result)")
            #expect(result.combined.contains(expected), "\(connection): \(result)")
            #expect(!result.combined.contains(password), "\(connection): \(result)")
        }
    }

    @Test("errors inside a session connected with a password in -d do not show it")
    func sessionErrors() throws {
        let database = try ownedDatabase()
        defer { database.drop() }
        let result = CurateProcess.run(
            arguments: connectionArguments(database, .connectionString) + ["-v", "ON_ERROR_STOP=0"],
            stdin: """
                SELECT * FROM no_such_table;
                \\restore /nonexistent/backup.pg_dump_c --into x --yes
                \\backup verify /nonexistent/backup.pg_dump_c
                \\errverbose
                \\conninfo
                \\plugins
                """,
            mode: .combined)
        #expect(result.combined.contains("no_such_table"), "\(result)")
        #expect(result.combined.contains("You are connected to database"), "\(result)")
        #expect(!result.combined.contains(password), "\(result)")
    }
}
