import CurateTestSupport
import Foundation
import Testing

/// A role that may only read the FITS archive runs every check and gets a clear message from
/// every fix, with nothing changed; a `--read-only` session stays read-only whatever a plugin
/// sends.
@Suite("Least privilege: a SELECT-only role, and read-only sessions plugins cannot lift")
struct LeastPrivilegeTests {
    /// A database of the test's own (with amcheck installed, so that its checks meet the missing
    /// EXECUTE privilege) and a role with USAGE on the schema and SELECT on its tables, nothing else.
    private struct ReaderSetup {
        let database: TestDatabase
        let role: String

        init() throws {
            database = try TestDatabase.create()
            role = "curate_reader_\(getpid())_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8).lowercased())"
            do {
                _ = try database.server.psql("CREATE ROLE \(role) LOGIN;", database: "postgres")
                try database.psql("""
                    CREATE EXTENSION IF NOT EXISTS amcheck;
                    GRANT USAGE ON SCHEMA public TO \(role);
                    GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(role);
                    """)
            } catch {
                drop()
                throw error
            }
        }

        var arguments: [String] { ["-X", "-h", database.host, "-p", database.port, "-U", role, "-d", database.name] }

        func curate(_ commands: [String], environment: [String: String] = [:]) -> CurateResult {
            CurateProcess.run(arguments: arguments + ["-v", "ON_ERROR_STOP=0"] + commands.flatMap { ["-c", $0] },
                              environment: environment, timeout: 120)
        }

        /// Every row of every table of the archive, as text: equal before and after means nothing changed.
        func snapshot() throws -> String {
            try database.psql("""
                SELECT string_agg(t, E'\\n' ORDER BY t) FROM (
                  SELECT 'file ' || f::text AS t FROM file f UNION ALL SELECT 'diskfile ' || d::text FROM diskfile d
                  UNION ALL SELECT 'header ' || h::text FROM header h UNION ALL SELECT 'queue ' || q::text FROM ingestqueue q
                  UNION ALL SELECT 'seq ' || sequencename || ' ' || coalesce(last_value, 0) FROM pg_sequences
                  UNION ALL SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = 'public'
                  UNION ALL SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname = 'curate') s
                """)
        }

        func drop() {
            database.drop()
            _ = try? database.server.psql("DROP ROLE IF EXISTS \(role);", database: "postgres")
        }
    }

    @Test("every built-in check runs as a SELECT-only role; amcheck's two, which need EXECUTE, say so and are not counted as run")
    func everyCheckRuns() throws {
        let setup = try ReaderSetup()
        defer { setup.drop() }
        let result = setup.curate(["\\check", "\\check postgres", "\\check fitsstorage", "SELECT 'still usable' AS state"])
        #expect(result.stdout.contains("still usable"), "\(result)")
        let lines = (result.stdout + result.stderr).split(separator: "\n")
        // The only permission problems are amcheck's functions, reported as not checked, and the
        // run history, which this role may not create (one warning per run; the runs go on).
        let recording = "curate: warning: this check run was not recorded in the check history: permission denied"
        for line in lines where line.contains("permission denied") && !line.hasPrefix(recording) {
            #expect(line.contains("amcheck-") && line.contains("FAILED to run: permission denied for function")
                        && line.contains("not checked"), "\(line)")
        }
        #expect(lines.filter { $0.hasPrefix(recording) }.count == 3, "\(result)")
        #expect(lines.contains { $0.hasPrefix("amcheck-btree (postgres, error): FAILED to run: permission denied for function bt_index_check") },
                "\(result)")
        #expect(lines.contains { $0.hasPrefix("amcheck-heap (postgres, error): FAILED to run: permission denied for function verify_heapam") },
                "\(result)")
        // Every other check ran: each has a result line that is not a failure.
        for check in ["duplicate-canonical", "duplicate-present", "present-not-canonical", "no-canonical", "orphan-file",
                      "header-duplicate", "queue-stuck", "queue-duplicate-inprogress", "invalid-index", "not-valid-constraint",
                      "sequence-behind", "fk-orphan", "fk-without-index", "disabled-trigger", "no-primary-key", "collation-drift", "xid-wraparound"] {
            let own = lines.filter { $0.hasPrefix("\(check) (") }
            #expect(!own.isEmpty, "\(check) has no result line\n\(result)")
            #expect(own.allSatisfy { !$0.contains("FAILED") && !$0.contains("skipped") }, "\(check): \(own)")
        }
        #expect(lines.contains { $0.hasPrefix("19 checks: ") && $0.hasSuffix(" passed, 2 failed") }, "\(result)")
    }

    /// The fixes `\fix` lists (those with an automatic repair), read from its table.
    private func fixNames(_ setup: ReaderSetup) -> [String] {
        let list = setup.curate(["\\fix"])
        return list.stdout.split(separator: "\n").compactMap { line -> String? in
            let columns = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard columns.count == 3, columns[0] != "check", !columns[2].hasPrefix("no safe automatic repair") else { return nil }
            return columns[0]
        }
    }

    @Test("every fix, \\fix harden and \\fix undo: a clear permission message with a hint; nothing changes; the session goes on")
    func everyFixRefused() throws {
        let setup = try ReaderSetup()
        defer { setup.drop() }
        let names = fixNames(setup)
        #expect(names.count >= 7, "\(names)")
        // An audit record to undo, made by the owner; the reader may read the audit tables.
        let owner = CurateProcess.run(in: setup.database, arguments: ["-X", "-c", "\\fix queue-stuck --commit --yes"])
        #expect(owner.status == 0, "\(owner)")
        try setup.database.psql("""
            GRANT USAGE ON SCHEMA curate TO \(setup.role);
            GRANT SELECT ON ALL TABLES IN SCHEMA curate TO \(setup.role);
            """)
        let before = try setup.snapshot()

        var attempts: [(String, [String])] = []
        for name in names {
            attempts.append((name, ["\\fix \(name) --commit --yes"]))
            // Without the audit record the fix reaches the table itself.
            attempts.append((name + " --no-audit", ["\\fix \(name) --commit --yes --no-audit"]))
        }
        attempts.append(("harden", ["\\fix harden queue-duplicate-inprogress --yes"]))
        attempts.append(("undo", ["\\fix undo 1 --commit --yes"]))
        for (label, commands) in attempts {
            let result = setup.curate(commands + ["SELECT 'still usable' AS state"])
            #expect(result.stdout.contains("still usable"), "\(label): the session did not go on\n\(result)")
            if result.stdout.contains("nothing to fix") || result.stderr.contains("nothing to fix") { continue }
            #expect(result.stderr.contains("permission denied") || result.stderr.contains("must be owner"), "\(label)\n\(result)")
            #expect(result.stderr.contains("HINT:"), "\(label): no hint\n\(result)")
            #expect(!result.stderr.contains("Committed"), "\(label)\n\(result)")
            // No misleading explanation: the refusal is about privileges, not duplicates or leftovers.
            #expect(!result.stderr.contains("new duplicates appeared"), "\(label)\n\(result)")
        }
        #expect(try setup.snapshot() == before, "something changed")
    }

    @Test("a table fix refused for lack of privilege: SQLSTATE 42501, the role named in the hint, nothing changed")
    func fixRefusalWording() throws {
        let setup = try ReaderSetup()
        defer { setup.drop() }
        let before = try setup.snapshot()
        let result = setup.curate(["\\set VERBOSITY verbose", "\\fix duplicate-canonical --commit --yes --no-audit", "\\errverbose",
                                   "SELECT 'still usable' AS state"])
        #expect(result.stderr.contains("permission denied for table diskfile"), "\(result)")
        #expect(result.stderr.contains("HINT:  the role \"\(setup.role)\" lacks a privilege this needs; nothing was changed."), "\(result)")
        #expect(result.stderr.contains("42501") || result.stdout.contains("42501"), "\(result)")
        #expect(result.stdout.contains("still usable"), "\(result)")
        #expect(try setup.snapshot() == before)
    }

    // MARK: Read-only sessions

    /// A plugin folder (0700, the files 0755: what PluginTrust accepts) holding `files`.
    private func pluginFolder(_ files: [String: String]) throws -> String {
        let path = NSTemporaryDirectory() + "curate-lp-plugins-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        for (name, text) in files {
            _ = FileManager.default.createFile(atPath: path + "/" + name, contents: Data(text.utf8),
                                               attributes: [.posixPermissions: name.hasSuffix(".sql") ? 0o644 : 0o755])
        }
        return path
    }

    /// An external plugin that declares no writes and tries to lift read-only mode with
    /// `set_config`, then writes. `no-transaction` makes it run in autocommit, where a session
    /// setting would outlive the statement.
    private static let lifter = """
        #!/usr/bin/env python3
        import json, os, sys
        NAME = os.environ.get("CURATE_PLUGIN_NAME", "")
        def send(m):
            sys.stdout.write(json.dumps(m) + "\\n"); sys.stdout.flush()
        def read():
            line = sys.stdin.readline()
            if not line: sys.exit(0)
            return json.loads(line)
        def query(sql):
            send({"type": "query", "id": "q", "sql": sql, "parameters": []})
            while True:
                reply = read()
                if reply["type"] != "rows": return reply
        caps = ["no-transaction"] if NAME == "lifter" else []
        send({"type": "hello", "protocol": 1, "name": NAME, "version": "0.0.1", "summary": "lifts read-only", "capabilities": caps})
        read()
        statements = ["SELECT set_config('default_transaction_read_only', 'off', false)",
                      "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE"]
        if NAME == "writer":
            statements = []  # an undeclared writer that only writes
        for sql in statements + ["INSERT INTO ingestqueue (filename, path) VALUES ('plugin-lifter', '/plugin')"]:
            reply = query(sql)
            send({"type": "print", "text": "%s => %s %s %s" % (sql.split()[0], reply["type"], reply.get("sqlstate"), reply.get("message"))})
        send({"type": "finish", "status": "ok"})
        """

    /// A check pack whose check tries the same through `set_config` in its query.
    private static let liftingPack = """
        -- pack: lifting
        -- version: 1.0
        -- description: a check that tries to lift read-only mode

        -- check: lift-read-only
        -- severity: info
        -- description: returns no rows, but sets default_transaction_read_only off for the session
        -- no-fix: none
        SELECT 1 AS x WHERE pg_catalog.set_config('default_transaction_read_only', 'off', false) IS NULL;
        """

    @Test("--read-only cannot be lifted by an external plugin, a pack check or a statement: SET refused unsent, set_config and RESET ALL undone and refused; nothing is written")
    func readOnlyCannotBeLifted() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try pluginFolder(["curate-lifter": Self.lifter, "curate-lifter-tx": Self.lifter, "curate-writer": Self.lifter,
                                       "lifting.pack.sql": Self.liftingPack])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let show = "SELECT 'mode=' || current_setting('default_transaction_read_only') AS mode"
        let result = CurateProcess.run(in: database, arguments: [
            "-X", "--read-only", "--plugin-dir", folder, "-v", "ON_ERROR_STOP=0",
            "-c", "\\writer", "-c", show,
            "-c", "\\lifter", "-c", show,
            "-c", "\\lifter-tx", "-c", show,
            "-c", "\\check lift-read-only", "-c", show,
            "-c", "SET default_transaction_read_only = off", "-c", show,
            "-c", "SELECT set_config('default_transaction_read_only', 'off', false)", "-c", show,
            "-c", "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE", "-c", show,
            "-c", "RESET ALL", "-c", show,
            "-c", "INSERT INTO ingestqueue (filename, path) VALUES ('user-row', '/user')",
        ])
        // Every probe is followed by the mode, on every time.
        #expect(result.stdout.components(separatedBy: "mode=on").count - 1 == 8, "\(result)")
        #expect(!result.stdout.contains("mode=off"), "\(result)")
        // The undeclared writer passes the host's gate (it declares nothing) and the server refuses its write.
        #expect(result.stdout.contains("INSERT => error 25006 cannot execute INSERT in a read-only transaction"), "\(result)")
        // A plugin that lifts read-only mode is stopped there (its work rolled back), the pack
        // check fails, the user's statements are undone: each reported.
        let refusal = "this session is read-only, and a statement may not turn that off: read-only mode was put back"
        #expect(result.stderr.contains("\\lifter: \(refusal)"), "\(result)")
        #expect(result.stderr.contains("\\lifter-tx: \(refusal)"), "\(result)")
        #expect(result.stdout.contains("lift-read-only (lifting, info): FAILED to run: \(refusal)"), "\(result)")
        #expect(result.stderr.components(separatedBy: refusal).count - 1 == 4, "\(result)")
        // The two statements that say what they do in words are not even sent.
        let unsent = "this session is read-only, and a statement may not turn that off:"
        #expect(result.stderr.contains("\(unsent) SET default_transaction_read_only = off was not sent"), "\(result)")
        #expect(result.stderr.contains("\(unsent) SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE was not sent"), "\(result)")
        #expect(result.stderr.contains("cannot execute INSERT in a read-only transaction"), "\(result)")
        #expect(try database.psql("SELECT count(*) FROM ingestqueue WHERE path IN ('/plugin', '/user')") == "0")
    }

    @Test("--read-only: BEGIN READ WRITE, SET TRANSACTION READ WRITE and SET transaction_read_only are refused before they are sent, also in one string and with AUTOCOMMIT off; nothing is written")
    func readWriteTransactionRefused() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let insert = "INSERT INTO ingestqueue (filename, path) VALUES ('rw', '/rw');"
        let script = """
            BEGIN READ WRITE;
            \(insert)
            COMMIT;
            BEGIN;
            SET TRANSACTION READ WRITE;
            \(insert)
            ROLLBACK;
            START TRANSACTION;
            SET LOCAL transaction_read_only = off;
            \(insert)
            ROLLBACK;
            \\set AUTOCOMMIT off
            RESET transaction_read_only;
            \(insert)
            ROLLBACK;
            \\set AUTOCOMMIT on
            BEGIN READ WRITE\\; \(insert) COMMIT;
            SELECT 'mode=' || current_setting('default_transaction_read_only') AS mode;

            """
        let result = CurateProcess.run(in: database, arguments: ["-X", "--read-only", "-v", "ON_ERROR_STOP=0"], stdin: script)
        let refusal = "this session is read-only, and a statement may not turn that off:"
        #expect(result.stderr.contains("\(refusal) BEGIN READ WRITE was not sent"), "\(result)")
        #expect(result.stderr.contains("\(refusal) SET TRANSACTION READ WRITE was not sent"), "\(result)")
        #expect(result.stderr.contains("\(refusal) SET LOCAL transaction_read_only = off was not sent"), "\(result)")
        #expect(result.stderr.contains("\(refusal) RESET transaction_read_only was not sent"), "\(result)")
        #expect(result.stderr.components(separatedBy: refusal).count - 1 == 5, "\(result)")
        #expect(result.stderr.components(separatedBy: "cannot execute INSERT in a read-only transaction").count - 1 == 4, "\(result)")
        #expect(result.stdout.contains("mode=on"), "\(result)")
        #expect(try database.psql("SELECT count(*) FROM ingestqueue WHERE path = '/rw'") == "0")
    }

    @Test("a no-transaction plugin that does not declare writes cannot lift the read-only mode curate gives its run; the session is writable again afterwards")
    func temporaryReadOnlyCannotBeLifted() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try pluginFolder(["curate-lifter": Self.lifter])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let show = "SELECT 'mode=' || current_setting('default_transaction_read_only') AS mode"
        let result = CurateProcess.run(in: database, arguments: [
            "-X", "--plugin-dir", folder, "-v", "ON_ERROR_STOP=0",
            "-c", "\\lifter", "-c", show,
            "-c", "INSERT INTO ingestqueue (filename, path) VALUES ('user-row', '/user')",
        ])
        // The refusal is the plugin's error reply (it goes on), with no "\\set READONLY off" hint:
        // the user's session is not read-only, the plugin's run is.
        #expect(result.stdout.contains("SELECT => error None refused: this session is read-only, and a statement may not turn that off: read-only mode was put back"), "\(result)")
        #expect(!result.stderr.contains("READONLY") && !result.stdout.contains("READONLY"), "\(result)")
        #expect(result.stdout.contains("mode=off"), "\(result)")
        #expect(try database.psql("SELECT count(*) FROM ingestqueue WHERE path = '/plugin'") == "0")
        #expect(try database.psql("SELECT count(*) FROM ingestqueue WHERE path = '/user'") == "1")
    }

    @Test("\\set READONLY off (asked at the terminal) still leaves read-only mode: the guard does not lock the user out")
    func userCanLeave() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X", "--read-only"], cols: 200)
        defer { terminal.terminate() }
        try terminal.waitFor("# ")
        try terminal.sendLine("\\set READONLY off")
        try terminal.waitFor("Leave read-only mode?")
        try terminal.sendLine("y")
        try terminal.waitFor("# ")
        try terminal.sendLine("SELECT 'mode=' || current_setting('default_transaction_read_only') AS mode;")
        try terminal.waitFor("mode=off")
        try terminal.waitFor("# ")
        try terminal.sendLine("\\q")
        _ = try terminal.waitForExit(timeout: 20)
    }
}
