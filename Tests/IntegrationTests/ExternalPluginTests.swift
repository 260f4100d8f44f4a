import CurateTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private plugin folder (mode 0700) holding copies of the example plugin and of the test
/// fixtures (Tests/IntegrationTests/ExternalPlugins/fixture-plugin.py, copied as curate-NAME),
/// so that the repository's own file modes never matter.
struct PluginFolder {
    let path: String

    static let fixture = CurateBinary.packageRoot.appendingPathComponent("Tests/IntegrationTests/ExternalPlugins/fixture-plugin.py").path
    static let example = CurateBinary.packageRoot.appendingPathComponent("Examples/external-python").path

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("curate-plugins-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        path = url.path
    }

    /// Copies `source` into the folder as `name`, with `mode`.
    @discardableResult
    func add(_ source: String, as name: String, mode: Int = 0o755) throws -> String {
        let target = path + "/" + name
        try FileManager.default.copyItem(atPath: source, toPath: target)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: target)
        return target
    }

    /// The fixture plugin as `curate-NAME` (NAME picks its behaviour).
    func addFixture(_ names: String...) throws {
        for name in names { try add(Self.fixture, as: "curate-" + name) }
    }

    /// The Python example: curate-orphans and its helper module.
    func addExample() throws {
        try add(Self.example + "/curate-orphans", as: "curate-orphans")
        try add(Self.example + "/curate_plugin.py", as: "curate_plugin.py", mode: 0o644)
    }

    func chmod(_ mode: Int, _ name: String? = nil) throws {
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: name.map { path + "/" + $0 } ?? path)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// External plugins (`curate-NAME` executables speaking JSON lines) against the real server: the
/// Python example, the shared transaction, plugins that crash, hang or speak garbage, the host's
/// capability gate, the password kept from the child, and the trust rules for plugin folders.
@Suite("External plugins: any language, in the shared session", .serialized)
struct ExternalPluginTests {
    /// Rows the fixture plugins write (filename 'plugin-NAME') and the tests' own rows ('user-row').
    static let markers = "SELECT string_agg(filename, ',' ORDER BY filename) FROM ingestqueue WHERE path IN ('/plugin', '/user')"
    static let userRow = "INSERT INTO ingestqueue (filename, path) VALUES ('user-row', '/user')"
    static let orphanCount = "SELECT count(*) FROM file f WHERE NOT EXISTS (SELECT FROM diskfile d WHERE d.file_id = f.id)"

    /// A database and an empty plugin folder (with the Python example when `example`); the caller drops and removes them.
    private func setup(example: Bool = false) throws -> (TestDatabase, PluginFolder) {
        let database = try TestDatabase.create()
        var folder: PluginFolder?
        do {
            folder = try PluginFolder()
            if example { try folder!.addExample() }
            return (database, folder!)
        } catch {
            folder?.remove()
            database.drop()
            throw error
        }
    }

    private func run(_ database: TestDatabase, _ folder: PluginFolder, _ arguments: [String],
                     environment: [String: String] = [:]) -> CurateResult {
        CurateProcess.run(in: database, arguments: ["-X", "--plugin-dir", folder.path] + arguments, environment: environment)
    }

    // MARK: The Python example

    @Test("the Python example is registered at startup (\\plugins: kind external, its version) and lists the orphan files")
    func exampleRegisteredAndRuns() throws {
        let (database, folder) = try setup(example: true)
        defer { database.drop(); folder.remove() }

        let result = run(database, folder, ["-c", "\\plugins", "-c", "\\orphans", "-c", "\\orphans --like 'S20240629S0016%'"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let listing = result.stdout.split(separator: "\n").first { $0.hasPrefix(" orphans ") }.map(String.init) ?? ""
        #expect(listing.contains("| external | 1.0.0   | \\orphans"), "\(result)")
        #expect(listing.contains(folder.path + "/curate-orphans"), "\(result)")
        // The sample at size 200 has two files without diskfile: 32 and 132 (i % 100 = 32).
        // The query's column types came along: the ids align right, as psql prints numbers.
        #expect(result.stdout.contains("      32 | S20240629S0016.fits\n     132 | S20240629S0066.fits\n(2 rows)"), "\(result)")
        #expect(result.stdout.contains("      32 | S20240629S0016.fits\n(1 row)"), "the --like parameter filtered\n\(result)")
    }

    @Test("the guide's first plugin, \\largest: a parameterised query printed in the user's format; a bad argument is the plugin's own error")
    func largestExample() throws {
        let (database, folder) = try setup(example: true)
        defer { database.drop(); folder.remove() }
        try folder.add(PluginFolder.example + "/curate-largest", as: "curate-largest")
        let expected = try database.psql("SELECT filename FROM diskfile WHERE present AND canonical ORDER BY file_size DESC NULLS LAST, id LIMIT 3")
        let aligned = run(database, folder, ["-c", "\\largest 3"])
        #expect(aligned.status == 0, "\(aligned)")
        #expect(aligned.stdout.hasPrefix("      filename       | file_size | size  |        lastmod         \n"), "\(aligned)")
        #expect(aligned.stdout.hasSuffix("(3 rows)\n\n"), "\(aligned)")
        let json = run(database, folder, ["--json", "-c", "\\largest 3"])
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]], "\(json)")
        #expect(objects.compactMap { $0["filename"] as? String }.joined(separator: "\n") == expected)
        #expect(objects.allSatisfy { $0["file_size"] is NSNumber }, "typed as a number in JSON\n\(json)")

        let bad = run(database, folder, ["-c", "\\largest many"])
        #expect(bad.status == 3, "\(bad)")
        #expect(bad.stderr == "\\largest: not a number: many\nHINT:  usage: \\largest [N]\n", "\(bad)")
    }

    @Test("\\orphans --help shows the plugin's own description without running it")
    func exampleHelp() throws {
        let (database, folder) = try setup(example: true)
        defer { database.drop(); folder.remove() }
        let result = run(database, folder, ["-c", "\\orphans --help"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("\\orphans — Files with no diskfile"), "\(result)")
        #expect(result.stdout.contains("usage: \\orphans [--like PATTERN]"), "\(result)")
        #expect(result.stdout.contains("capabilities: writes"), "\(result)")
        #expect(result.stdout.contains("version 1.0.0, protocol 1"), "\(result)")
        #expect(!result.stdout.contains("S20240629S0016.fits"), "it only described itself\n\(result)")
    }

    @Test("inside an open transaction the plugin's deletions are the user's: ROLLBACK brings the rows back, COMMIT keeps them gone")
    func exampleInsideUserTransaction() throws {
        let (database, folder) = try setup(example: true)
        defer { database.drop(); folder.remove() }
        #expect(try database.psql(Self.orphanCount) == "2")

        let rolledBack = run(database, folder, [
            "-A", "-t", "-c", "BEGIN", "-c", Self.userRow, "-c", "\\orphans --delete --yes --batch 1",
            "-c", Self.orphanCount, "-c", "ROLLBACK",
        ])
        #expect(rolledBack.status == 0, "\(rolledBack)")
        #expect(rolledBack.stdout.contains("Deleted 2 orphan file rows (in your open transaction: COMMIT keeps the deletion, ROLLBACK undoes it)."), "\(rolledBack)")
        #expect(rolledBack.stdout.contains("\n0\nROLLBACK"), "inside the transaction the rows were gone\n\(rolledBack)")
        #expect(try database.psql(Self.orphanCount) == "2", "ROLLBACK undid the plugin's deletions")
        #expect(try database.psql(Self.markers) == "", "and the user's own insert")

        let committed = run(database, folder, ["-c", "BEGIN", "-c", "\\orphans --delete --yes", "-c", "COMMIT"])
        #expect(committed.status == 0, "\(committed)")
        #expect(try database.psql(Self.orphanCount) == "0")
    }

    @Test("without a transaction the plugin's work is its own transaction, committed when it finishes ok")
    func exampleOwnTransaction() throws {
        let (database, folder) = try setup(example: true)
        defer { database.drop(); folder.remove() }
        let result = run(database, folder, ["-c", "\\orphans --delete --yes"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("Deleted 2 orphan file rows (committed)."), "\(result)")
        #expect(try database.psql(Self.orphanCount) == "0")
    }

    @Test("in a script, --delete without --yes is refused like a built-in's question, and nothing is deleted")
    func exampleScriptCannotConfirm() throws {
        let (database, folder) = try setup(example: true)
        defer { database.drop(); folder.remove() }
        let result = run(database, folder, ["-c", "\\orphans --delete"])
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("\\orphans: Delete 2 file rows that have no diskfile? — refused: a script cannot confirm"), "\(result)")
        #expect(result.stderr.contains("HINT:  pass --yes to confirm in a script"), "\(result)")
        #expect(try database.psql(Self.orphanCount) == "2")
    }

    @Test("at a terminal the plugin asks, the answer comes back, and the prompt shows the transaction still open")
    func exampleAsksAtTerminal() throws {
        let (database, folder) = try setup(example: true)
        defer { database.drop(); folder.remove() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X", "--plugin-dir", folder.path], cols: 200)
        defer { terminal.terminate() }
        try terminal.waitFor("\(database.name)=# ")
        try terminal.sendLine("begin;")
        try terminal.waitFor("\(database.name)=*# ")
        try terminal.sendLine("\\orphans --delete")
        try terminal.waitFor("Delete 2 file rows that have no diskfile? [y/N] ")
        try terminal.sendLine("n")
        try terminal.waitFor("Nothing deleted.")
        try terminal.waitFor("\(database.name)=*# ")
        try terminal.sendLine("\\orphans --delete")
        try terminal.waitFor("[y/N] ")
        try terminal.sendLine("y")
        try terminal.waitFor("Deleted 2 orphan file rows")
        try terminal.waitFor("\(database.name)=*# ")
        try terminal.sendLine("rollback;")
        try terminal.waitFor("\(database.name)=# ")
        #expect(try database.psql(Self.orphanCount) == "2")
    }

    // MARK: Plugins that fail

    @Test("a crashing plugin: the user is told how it ended, its savepoint is rolled back, the transaction and the session go on")
    func crashingPlugin() throws {
        let (database, folder) = try setup()
        defer { database.drop(); folder.remove() }
        try folder.addFixture("crash")
        let result = run(database, folder, [
            "-v", "ON_ERROR_STOP=0", "-c", "BEGIN", "-c", Self.userRow, "-c", "\\crash",
            "-c", "\\echo after the crash", "-c", "COMMIT",
        ])
        #expect(result.stderr.contains("\\crash: the plugin failed: it ended without finishing (exit status 1); its work was rolled back; your transaction is still open, with your own work unchanged"), "\(result)")
        #expect(result.stderr.contains("RuntimeError: deliberate crash of the test plugin"), "the plugin's stderr reached the user\n\(result)")
        #expect(result.stdout.contains("after the crash\nCOMMIT"), "\(result)")
        #expect(try database.psql(Self.markers) == "user-row", "the user's row committed, the plugin's rolled back")
    }

    @Test("a hanging plugin is stopped after PLUGIN_TIMEOUT, its work rolled back, the transaction still open")
    func hangingPlugin() throws {
        let (database, folder) = try setup()
        defer { database.drop(); folder.remove() }
        try folder.addFixture("hang")
        let pidFile = folder.path + "/hang.pid"
        let result = run(database, folder, [
            "-v", "ON_ERROR_STOP=0", "-v", "PLUGIN_TIMEOUT=1", "-c", "BEGIN", "-c", Self.userRow, "-c", "\\hang",
            "-c", "SELECT 'still here' AS state", "-c", "COMMIT",
        ], environment: ["PLUGIN_PID_FILE": pidFile])
        #expect(result.stderr.contains("\\hang: the plugin failed: it sent nothing for 1 s while curate waited for its next message, and was stopped; its work was rolled back; your transaction is still open"), "\(result)")
        #expect(result.stderr.contains("HINT:  \\set PLUGIN_TIMEOUT SECONDS allows a slow plugin more time"), "\(result)")
        #expect(result.stdout.contains("still here"), "\(result)")
        #expect(result.stdout.hasSuffix("COMMIT\n"), "\(result)")
        #expect(try database.psql(Self.markers) == "user-row")
        let pid = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8)))
        #expect(kill(pid, 0) != 0 && errno == ESRCH, "the plugin process is gone")
    }

    @Test("a plugin that speaks garbage is stopped with the line it sent, its work rolled back")
    func garbagePlugin() throws {
        let (database, folder) = try setup()
        defer { database.drop(); folder.remove() }
        try folder.addFixture("garbage")
        let result = run(database, folder, [
            "-v", "ON_ERROR_STOP=0", "-c", "BEGIN", "-c", Self.userRow, "-c", "\\garbage", "-c", "COMMIT",
        ])
        #expect(result.stderr.contains("\\garbage: the plugin failed: it broke the protocol: line 3 is not JSON: \"Hello there, this is not JSON\"; its work was rolled back; your transaction is still open"), "\(result)")
        #expect(result.stdout.hasSuffix("COMMIT\n"), "\(result)")
        #expect(try database.psql(Self.markers) == "user-row")
    }

    @Test("at a terminal, after each failing plugin the prompt shows the true transaction state: =# without one, =*# inside one")
    func failuresAtTerminal() throws {
        let (database, folder) = try setup()
        defer { database.drop(); folder.remove() }
        try folder.addFixture("crash", "garbage", "hang")
        let terminal = try PTYSession(
            arguments: database.curateArguments + ["-X", "--plugin-dir", folder.path, "-v", "PLUGIN_TIMEOUT=1"], cols: 250,
            environment: ["PLUGIN_PID_FILE": folder.path + "/hang.pid"])
        defer { terminal.terminate() }
        try terminal.waitFor("\(database.name)=# ")
        try terminal.sendLine("\\crash")
        try terminal.waitFor("its work was rolled back: nothing was committed")
        try terminal.waitFor("\(database.name)=# ")
        try terminal.sendLine("begin;")
        try terminal.sendLine(Self.userRow + ";")
        try terminal.waitFor("INSERT 0 1")
        for name in ["crash", "garbage", "hang"] {
            try terminal.sendLine("\\" + name)
            try terminal.waitFor("\\\(name): the plugin failed")
            try terminal.waitFor("your transaction is still open")
            try terminal.waitFor("\(database.name)=*# ")
        }
        try terminal.sendLine("commit;")
        try terminal.waitFor("COMMIT")
        try terminal.waitFor("\(database.name)=# ")
        #expect(try database.psql(Self.markers) == "user-row")
    }

    @Test("Ctrl-C while a plugin's query runs cancels the query and stops the plugin; the transaction stays open")
    func controlCStopsPlugin() throws {
        let (database, folder) = try setup()
        defer { database.drop(); folder.remove() }
        try folder.addFixture("sleeper")
        let pidFile = folder.path + "/sleeper.pid"
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X", "--plugin-dir", folder.path], cols: 200,
                                      environment: ["PLUGIN_PID_FILE": pidFile])
        defer { terminal.terminate() }
        try terminal.waitFor("\(database.name)=# ")
        try terminal.sendLine("begin;")
        try terminal.sendLine(Self.userRow + ";")
        try terminal.waitFor("INSERT 0 1")
        try terminal.sendLine("\\sleeper")
        // The plugin's pg_sleep query runs on curate's session.
        try Poll.until("the plugin's query to run", detail: terminal.transcript) {
            try database.backends(of: "curate", waitingOn: "PgSleep") == 1
        }
        try terminal.sendControl("c")
        try terminal.waitFor("\\sleeper: the plugin failed: cancelled (Ctrl-C) while its query ran; the plugin was stopped; its work was rolled back")
        try terminal.waitFor("\(database.name)=*# ")
        try terminal.sendLine("commit;")
        try terminal.waitFor("COMMIT")
        #expect(try database.psql(Self.markers) == "user-row")
        let pid = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8)))
        #expect(kill(pid, 0) != 0 && errno == ESRCH, "the plugin process is gone")
    }

    @Test("a statement that fails without a savepoint, then finish ok: curate rolls the plugin's work back and says why")
    func failedStatementThenOk() throws {
        let (database, folder) = try setup()
        defer { database.drop(); folder.remove() }
        try folder.addFixture("careless")
        let result = run(database, folder, ["-v", "ON_ERROR_STOP=0", "-c", "\\careless", "-c", "SELECT 'usable' AS state"])
        #expect(result.stdout.contains("careless: error 22012 transaction=failed"), "the plugin got the server's error\n\(result)")
        #expect(result.stderr.contains("\\careless: the plugin failed: it finished as if all went well, but a statement of it had failed (division by zero); its work was rolled back: nothing was committed"), "\(result)")
        #expect(result.stdout.contains("usable"), "\(result)")
        #expect(try database.psql(Self.markers) == "")
    }

    @Test("rows, types, NULLs, parameters, server errors and a statement's own savepoint reach the plugin as specified")
    func protocolReplies() throws {
        let (database, folder) = try setup()
        defer { database.drop(); folder.remove() }
        try folder.addFixture("types")
        let result = run(database, folder, ["-c", "\\types"])
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let first = try #require(lines.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        let rows = try #require(first["rows"] as? [[Any]])
        #expect(rows.count == 1)
        #expect(rows[0][0] as? String == "1")
        #expect(rows[0][1] as? String == "a\"b\\\\c\nd")
        #expect(rows[0][2] is NSNull)
        #expect(rows[0][3] as? String == "2.5")
        #expect(rows[0][4] as? String == "t")
        #expect(rows[0][5] as? String == "42", "a number parameter arrives as text")
        let done = try #require(first["done"] as? [String: Any])
        #expect(done["tag"] as? String == "SELECT 1")
        #expect(done["transaction"] as? String == "in-transaction", "the plugin's own transaction")
        let types = (done["columns"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
        #expect(types == ["int4", "text", "date", "numeric", "bool", "text"])

        let second = try #require(lines.dropFirst().first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        let error = try #require(second["error"] as? [String: Any])
        #expect(error["sqlstate"] as? String == "42P01")
        #expect(error["source"] as? String == "server")
        #expect(error["transaction"] as? String == "in-transaction", "the statement's savepoint undid only itself")
        #expect((second["after_savepoint"] as? [[String]]) == [["still usable"]])
        #expect(result.stdout.contains(" name | count \n------+-------\n a    | 1\n b    | \n(2 rows)"), "a table printed in the user's format\n\(result)")
    }

    @Test("a value that is not UTF-8 (client_encoding LATIN1) reaches the plugin as valid JSON: base64 with the encoding named")
    func nonUTF8Values() throws {
        let (database, folder) = try setup()
        defer { database.drop(); folder.remove() }
        try folder.addFixture("latin1")
        let result = run(database, folder, ["-c", "\\latin1"], environment: ["PGCLIENTENCODING": "LATIN1"])
        #expect(result.status == 0, "\(result)")
        let line = try #require(result.stdout.split(separator: "\n").first.map(String.init))
        let message = try #require(try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(result)")
        let rows = try #require(message["rows"] as? [[Any]])
        let value = try #require(rows.first?.first as? [String: String], "\(rows)")
        // "café" in LATIN1: 63 61 66 E9.
        #expect(value == ["base64": "Y2Fm6Q==", "encoding": "LATIN1"])
        #expect(rows.first?.last as? String == "plain", "text that is valid UTF-8 stays a string")
        #expect(message["done"] as? String == "done")
    }

    // MARK: What the host enforces

    @Test("transaction control and read-only settings from a plugin are refused by curate, never sent; the user's transaction stays the user's")
    func transactionControlRefused() throws {
        let (database, folder) = try setup()
        defer { database.drop(); folder.remove() }
        try folder.addFixture("txcontrol")
        let result = run(database, folder, ["-c", "BEGIN", "-c", Self.userRow, "-c", "\\txcontrol", "-c", "ROLLBACK"])
        #expect(result.status == 0, "\(result)")
        for statement in ["COMMIT", "rollback", "SET default_transaction_read_only = off", "SELECT 1; COMMIT"] {
            #expect(result.stdout.contains("\(statement): error source=curate refused: "), "\(statement)\n\(result)")
        }
        #expect(try database.psql(Self.markers) == "", "the user's ROLLBACK undid both rows: nothing had been committed")
    }

    @Test("a plugin that does not declare writes cannot write, inside the user's transaction or not, and leaves it writable")
    func readOnlyPlugin() throws {
        let (database, folder) = try setup()
        defer { database.drop(); folder.remove() }
        try folder.addFixture("readonly")
        let result = run(database, folder, [
            "-c", "\\readonly", "-c", "BEGIN", "-c", "\\readonly", "-c", Self.userRow,
            "-c", "SELECT current_setting('transaction_read_only') AS after", "-c", "COMMIT",
        ])
        #expect(result.status == 0, "\(result)")
        let refusals = result.stdout.components(separatedBy: "insert: error 25006 cannot execute INSERT in a read-only transaction").count - 1
        #expect(refusals == 2, "\(result)")
        #expect(result.stdout.contains(" after \n-------\n off\n"), "the user's transaction is writable again\n\(result)")
        #expect(try database.psql(Self.markers) == "user-row")
    }

    @Test("--read-only: a plugin declaring writes is refused up front; its reading form runs")
    func writesRefusedInReadOnlySession() throws {
        let (database, folder) = try setup(example: true)
        defer { database.drop(); folder.remove() }
        let refused = run(database, folder, ["--read-only", "-c", "\\orphans --delete --yes"])
        #expect(refused.status == 3, "\(refused)")
        #expect(refused.stderr.contains("\\orphans: refused: it writes to the database and this session is read-only"), "\(refused)")
        #expect(refused.stdout.isEmpty, "refused before it listed anything\n\(refused)")
        #expect(try database.psql(Self.orphanCount) == "2")

        let listing = run(database, folder, ["--read-only", "-c", "\\orphans"])
        #expect(listing.status == 0, "\(listing)")
        #expect(listing.stdout.contains("(2 rows)"), "\(listing)")
    }

    @Test("a no-transaction plugin is refused inside a transaction and runs outside one, in autocommit")
    func noTransactionPlugin() throws {
        let (database, folder) = try setup()
        defer { database.drop(); folder.remove() }
        try folder.addFixture("notx")
        let inside = run(database, folder, ["-c", "BEGIN", "-c", "\\notx"])
        #expect(inside.status == 3, "\(inside)")
        #expect(inside.stderr.contains("\\notx: refused: it cannot run inside a transaction block, and a transaction is open"), "\(inside)")
        #expect(inside.stderr.contains("HINT:  end the transaction first: COMMIT to keep its changes, or ROLLBACK"), "\(inside)")
        #expect(!inside.stdout.contains("ran with scope"), "\(inside)")

        let outside = run(database, folder, ["-c", "\\notx"])
        #expect(outside.status == 0, "\(outside)")
        #expect(outside.stdout.contains("ran with scope autocommit"), "\(outside)")
    }

    @Test("a plugin speaking another protocol version is refused with both versions named")
    func protocolVersionChecked() throws {
        let (database, folder) = try setup()
        defer { database.drop(); folder.remove() }
        try folder.addFixture("future")
        let result = run(database, folder, ["-c", "\\future"])
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("\\future: the plugin failed: it speaks protocol version 2; this curate speaks version 1"), "\(result)")
    }

    // MARK: The password

    @Test("the password never reaches the plugin: not in its environment, argv or invoke message (PGPASSWORD)",
          .enabled(if: ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD_ROLE"] != nil))
    func passwordNotPassedFromEnvironment() throws {
        let env = ProcessInfo.processInfo.environment
        let role = env["CURATE_TEST_PASSWORD_ROLE"] ?? ""
        let password = env["CURATE_TEST_PASSWORD"] ?? ""
        let (database, folder) = try setup()
        defer { database.drop(); folder.remove() }
        try folder.addFixture("envdump")
        let result = CurateProcess.run(
            arguments: ["-X", "-h", database.host, "-p", database.port, "-U", role, "-d", database.name, "--plugin-dir", folder.path,
                        "-c", "\\envdump \(role) some-argument"],
            // The test harness's own copy of the password is not curate's business: blank it.
            environment: ["PGPASSWORD": password, "CURATE_TEST_PASSWORD": ""])
        #expect(result.status == 0, "\(result)")
        let dump = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let environment = try #require(dump["environment"] as? [String: String])
        #expect(environment["CURATE_PLUGIN_PROTOCOL"] == "1", "the dump is the plugin's environment")
        #expect(environment["PGPASSWORD"] == nil)
        #expect((dump["argv"] as? [String])?.dropFirst() == ["\(role)", "some-argument"])
        #expect(((dump["invoke"] as? [String: Any])?["context"] as? [String: Any])?["user"] as? String == role)
        #expect(!result.stdout.contains(password), "\(result)")
    }

    @Test("the password typed at the prompt never reaches the plugin",
          .enabled(if: ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD_ROLE"] != nil))
    func passwordNotPassedFromPrompt() throws {
        let env = ProcessInfo.processInfo.environment
        let role = env["CURATE_TEST_PASSWORD_ROLE"] ?? ""
        let password = env["CURATE_TEST_PASSWORD"] ?? ""
        let (database, folder) = try setup()
        defer { database.drop(); folder.remove() }
        try folder.addFixture("envdump")
        let terminal = try PTYSession(
            arguments: ["-X", "-h", database.host, "-p", database.port, "-U", role, "-d", database.name, "--plugin-dir", folder.path],
            cols: 250, environment: ["CURATE_TEST_PASSWORD": ""])
        defer { terminal.terminate() }
        try terminal.waitFor("Password for user \(role): ")
        try terminal.sendLine(password)
        try terminal.waitFor("\(database.name)=> ")
        try terminal.sendLine("\\pset pager off")
        try terminal.waitFor("\(database.name)=> ")
        try terminal.sendLine("\\envdump")
        try terminal.waitFor("CURATE_PLUGIN_PROTOCOL")
        try terminal.waitFor("\(database.name)=> ")
        #expect(!terminal.rawTranscript.contains(password))
    }

    // MARK: Folders and names

    @Test("a plugin folder writable by others is refused with a warning; so is a loose plugin file; its neighbours load")
    func looseFoldersAndFilesRefused() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let world = try PluginFolder()
        defer { world.remove() }
        try world.addExample()
        try world.chmod(0o777)
        let worldResult = run(database, world, ["-c", "\\orphans"])
        #expect(worldResult.stderr.contains("curate: warning: plugin folder \(world.path) refused: it is writable by everyone (mode 777); run: chmod go-w \(world.path)"), "\(worldResult)")
        #expect(worldResult.stderr.contains("invalid command \\orphans"), "\(worldResult)")

        let group = try PluginFolder()
        defer { group.remove() }
        try group.addExample()
        try group.chmod(0o770)
        let groupResult = run(database, group, ["-c", "\\plugins"])
        #expect(groupResult.stderr.contains("plugin folder \(group.path) refused: it is writable by its group (mode 770)"), "\(groupResult)")
        #expect(!groupResult.stdout.contains("orphans"), "\(groupResult)")

        let file = try PluginFolder()
        defer { file.remove() }
        try file.addExample()
        try file.addFixture("notx")
        try file.chmod(0o777, "curate-orphans")
        let fileResult = run(database, file, ["-c", "\\plugins", "-c", "\\notx"])
        #expect(fileResult.stderr.contains("curate: warning: plugin \(file.path)/curate-orphans refused: it is writable by everyone (mode 777); run: chmod go-w \(file.path)/curate-orphans"), "\(fileResult)")
        #expect(!fileResult.stdout.contains("\\orphans"), "\(fileResult)")
        #expect(fileResult.stdout.contains("ran with scope autocommit"), "the trusted neighbour loaded\n\(fileResult)")
    }

    @Test("--no-plugins loads no external plugin")
    func noPlugins() throws {
        let (database, folder) = try setup(example: true)
        defer { database.drop(); folder.remove() }
        let result = run(database, folder, ["--no-plugins", "-c", "\\plugins", "-c", "\\orphans"])
        #expect(!result.stdout.contains("external"), "\(result)")
        #expect(result.stdout.contains("Plugin folders: none"), "\(result)")
        #expect(result.stderr.contains("invalid command \\orphans"), "\(result)")
    }

    @Test("curate-check cannot shadow the built-in \\check: refused with a message naming both")
    func builtInNameClash() throws {
        let (database, folder) = try setup()
        defer { database.drop(); folder.remove() }
        try folder.addFixture("check")
        let result = run(database, folder, ["-v", "ON_ERROR_STOP=0", "-c", "\\check orphan-file", "-c", "\\plugins"])
        #expect(result.stderr.contains("curate: warning: \\check of external plugin check refused: the name is already taken by built-in plugin check; rename or remove one of them"), "\(result)")
        #expect(!result.stdout.contains("the external check ran"), "\(result)")
        #expect(result.stdout.contains("orphan-file"), "the built-in \\check ran\n\(result)")
        #expect(!result.stdout.contains("| external |"), "\(result)")
    }
}
