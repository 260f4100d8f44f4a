import CurateTestSupport
import Foundation
import Testing

/// The Swift plugin example (Examples/swift-plugin): a package of its own whose executable,
/// `archive-curate`, is curate plus the archive plugin (`\filehistory`, `\requeue`). scripts/test
/// builds it and passes its path in CURATE_EXAMPLE_PLUGIN_BINARY.
enum SwiftPluginExample {
    static func binary() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        let url: URL
        if let path = environment["CURATE_EXAMPLE_PLUGIN_BINARY"], !path.isEmpty {
            url = URL(fileURLWithPath: path)
        } else {
            url = CurateBinary.packageRoot.appendingPathComponent(".build-example/debug/archive-curate")
        }
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw TestSupportError.spawnFailed(
                "no Swift plugin example at \(url.path): run the tests through scripts/test, which builds it "
                    + "(swift build --package-path Examples/swift-plugin --scratch-path .build-example)")
        }
        return url
    }

    /// Runs archive-curate on `database` (-X: no ~/.curaterc).
    static func run(
        _ database: TestDatabase, _ arguments: [String], stdin: String? = nil, mode: CurateProcess.OutputMode = .separate
    ) throws -> CurateResult {
        CurateProcess.run(
            arguments: database.curateArguments + ["-X"] + arguments, stdin: stdin, mode: mode, executable: try binary())
    }
}

/// One csv result (`--csv`) as dictionaries, header keys; values in the sample hold no commas or quotes.
private func csvRows(_ text: String) -> [[String: String]] {
    let lines = text.split(separator: "\n").map(String.init)
    guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return [] }
    return lines.dropFirst().map { line in
        let values = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return Dictionary(uniqueKeysWithValues: zip(header, values))
    }
}

@Suite("Swift plugin: the example package, curate plus the archive plugin")
struct SwiftPluginTests {
    static let queuedByCurate = "SELECT count(*) FROM ingestqueue WHERE batch = 'curate-requeue'"

    @Test("archive-curate starts without warnings; its commands are in \\? and \\plugins lists it as a Swift plugin")
    func registeredAtStartup() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let help = try SwiftPluginExample.run(database, ["-c", "\\?"])
        #expect(help.status == 0, "\(help)")
        #expect(help.stderr.isEmpty, "\(help)")
        #expect(help.stdout.contains("\\filehistory"), "\(help)")
        #expect(help.stdout.contains("\\requeue"), "\(help)")
        #expect(help.stdout.contains("\\check"), "the built-in commands are all still there")

        let plugins = try SwiftPluginExample.run(database, ["--csv", "-c", "\\plugins"])
        #expect(plugins.status == 0, "\(plugins)")
        #expect(plugins.stderr.isEmpty, "\(plugins)")
        let rows = csvRows(plugins.stdout.split(separator: "\n").filter { !$0.hasPrefix("Plugin folders") }.joined(separator: "\n"))
        let archive = rows.first { $0["plugin"] == "archive" }
        #expect(archive?["kind"] == "swift", "\(plugins)")
        #expect(archive?["version"] == "1.0.0")
        #expect(archive?["provides"] == "\\filehistory \\requeue")
        #expect(archive?["origin"] == "archive-curate")
        // Registered after the built-in plugins, which are all still there with their kind.
        #expect(rows.last?["plugin"] == "archive", "\(plugins)")
        #expect(rows.dropLast().allSatisfy { $0["kind"] == "built-in" }, "\(plugins)")
        #expect(Set(["sql", "check", "fix", "backup", "restore"]).isSubset(of: rows.compactMap { $0["plugin"] }))
    }

    @Test("--no-plugins: archive-curate starts with the built-in plugins only")
    func noPlugins() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = try SwiftPluginExample.run(database, ["--no-plugins", "-c", "\\filehistory N20240629S0004.fits"])
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("invalid command \\filehistory"), "\(result)")
    }

    @Test("\\filehistory lists every diskfile of a file from the server, by name or by a diskfile's filename, in the user's format")
    func fileHistory() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        // Seeded: file 7 has two canonical present copies (the ingest race), file 14 a stale present copy.
        let result = try SwiftPluginExample.run(database, ["--csv", "-c", "\\filehistory N20240629S0004.fits"])
        #expect(result.status == 0, "\(result)")
        let rows = csvRows(result.stdout)
        let expectedIDs = try database.psql(
            "SELECT string_agg(d.id::text, ',' ORDER BY d.entrytime, d.id) FROM diskfile d JOIN file f ON f.id = d.file_id WHERE f.name = 'N20240629S0004.fits'")
        #expect(rows.map { $0["diskfile"] ?? "" }.joined(separator: ",") == expectedIDs)
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0["present"] == "t" && $0["canonical"] == "t" && $0["problem"] == "one of several canonical versions" })

        let stale = try SwiftPluginExample.run(database, ["--csv", "-c", "\\filehistory S20240629S0007.fits"])
        #expect(stale.status == 0, "\(stale)")
        #expect(csvRows(stale.stdout).map { "\($0["present"]!)\($0["canonical"]!):\($0["problem"]!)" }
                == ["tf:on disk but not canonical", "tt:"])

        // A compressed file is found by its diskfile's filename too.
        let compressed = try SwiftPluginExample.run(database, ["--csv", "-c", "\\filehistory N20240629S0002.fits.bz2"])
        #expect(compressed.status == 0, "\(compressed)")
        #expect(csvRows(compressed.stdout).map { $0["file"] ?? "" } == ["N20240629S0002.fits"])

        // The user's format: json.
        let json = try SwiftPluginExample.run(database, ["--json", "-c", "\\filehistory N20240629S0004.fits"])
        #expect(json.status == 0, "\(json)")
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(parsed?.count == 2)
        #expect(parsed?.first?["canonical"] as? Bool == true)
    }

    @Test("bad input: an unknown name is the plugin's error with a hint; the name travels as a parameter")
    func unknownName() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = try SwiftPluginExample.run(database, ["-c", "\\filehistory \"nope' OR '1'='1\""])
        #expect(result.status == 3, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.contains("\\filehistory: no archive file named \"nope' OR '1'='1\""), "\(result)")
        #expect(result.stderr.contains("HINT:  names look like N20240629S0004.fits"), "\(result)")

        let requeue = try SwiftPluginExample.run(database, ["-c", "\\requeue N20240629S0004.fits missing.fits --yes"])
        #expect(requeue.status == 3, "\(requeue)")
        #expect(requeue.stderr.contains("no archive file named \"missing.fits\""), "\(requeue)")
        #expect(try database.psql(Self.queuedByCurate) == "0", "a bad name stops the command before it writes anything")
    }

    @Test("\\requeue --yes adds the newest diskfile of each file to the ingest queue, once")
    func requeueCommits() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = try SwiftPluginExample.run(database, [
            "--csv", "-c", "\\requeue N20240629S0004.fits N20240629S0002.fits.bz2 N20240629S0002.fits --yes --force",
        ])
        #expect(result.status == 0, "\(result)")
        #expect(csvRows(result.stdout).map { "\($0["file"]!) \($0["action"]!)" }
                == ["N20240629S0004.fits queue", "N20240629S0002.fits queue"])
        #expect(result.stderr.contains("Queued 2 files (batch curate-requeue)."), "\(result)")
        #expect(try database.psql("""
            SELECT string_agg(filename || ' ' || path || ' ' || inprogress || ' ' || force, ',' ORDER BY filename)
            FROM ingestqueue WHERE batch = 'curate-requeue'
            """) == "N20240629S0002.fits.bz2 dataflow/GN/20240629 false true,N20240629S0004.fits dataflow/GN/20240629 false true")

        // Again: both are waiting in the queue now, so nothing is added.
        let again = try SwiftPluginExample.run(database, ["--csv", "-c", "\\requeue N20240629S0004.fits --yes"])
        #expect(again.status == 0, "\(again)")
        #expect(csvRows(again.stdout).map { $0["action"] ?? "" } == ["already queued"])
        #expect(again.stderr.contains("Nothing to queue"), "\(again)")
        #expect(try database.psql(Self.queuedByCurate) == "2")
    }

    @Test("\\requeue inside the user's open transaction: visible there, undone by ROLLBACK")
    func requeueRolledBackWithTheUsersTransaction() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let queueBefore = try database.psql("SELECT count(*) FROM ingestqueue")
        let result = try SwiftPluginExample.run(database, ["--csv"], stdin: """
            BEGIN;
            \\requeue --no-canonical --yes
            SELECT count(*) AS queued_in_transaction FROM ingestqueue WHERE batch = 'curate-requeue';
            ROLLBACK;
            SELECT count(*) AS queued_after_rollback FROM ingestqueue WHERE batch = 'curate-requeue';
            """)
        #expect(result.status == 0, "\(result)")
        let noCanonical = try database.psql("""
            SELECT count(*) FROM file f WHERE EXISTS (SELECT FROM diskfile d WHERE d.file_id = f.id)
              AND NOT EXISTS (SELECT FROM diskfile d WHERE d.file_id = f.id AND d.canonical)
            """)
        #expect(noCanonical == "2")
        #expect(result.stdout.contains("queued_in_transaction\n2\n"), "\(result)")
        #expect(result.stdout.contains("queued_after_rollback\n0\n"), "\(result)")
        #expect(result.stderr.contains("inside your transaction: COMMIT to keep, ROLLBACK to undo"), "\(result)")
        #expect(try database.psql("SELECT count(*) FROM ingestqueue") == queueBefore)
    }

    @Test("in a script \\requeue without --yes is refused and writes nothing")
    func requeueNeedsYesInScripts() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = try SwiftPluginExample.run(database, ["-c", "\\requeue N20240629S0004.fits"])
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("a script cannot confirm"), "\(result)")
        #expect(result.stderr.contains("pass --yes"), "\(result)")
        #expect(try database.psql(Self.queuedByCurate) == "0")
    }

    @Test("--read-only: the host refuses \\requeue before it runs; --dry-run and \\filehistory still work")
    func readOnly() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let refused = try SwiftPluginExample.run(database, ["--read-only", "-c", "\\requeue N20240629S0004.fits --yes"])
        #expect(refused.status == 3, "\(refused)")
        #expect(refused.stderr.contains("\\requeue: refused: it writes to the database and this session is read-only"), "\(refused)")
        #expect(refused.stderr.contains("HINT:  \\set READONLY off leaves read-only mode"), "\(refused)")
        #expect(refused.stdout.isEmpty, "refused up front: the command never ran, so it printed no plan\n\(refused)")
        #expect(try database.psql(Self.queuedByCurate) == "0")

        let dryRun = try SwiftPluginExample.run(database, ["--read-only", "--csv", "-c", "\\requeue N20240629S0004.fits --dry-run"])
        #expect(dryRun.status == 0, "\(dryRun)")
        #expect(csvRows(dryRun.stdout).map { $0["action"] ?? "" } == ["queue"])
        #expect(dryRun.stderr.contains("Dry run: nothing was queued."), "\(dryRun)")

        let history = try SwiftPluginExample.run(database, ["--read-only", "--csv", "-c", "\\filehistory N20240629S0004.fits"])
        #expect(history.status == 0, "\(history)")
        #expect(csvRows(history.stdout).count == 2)
    }

    @Test("at a terminal \\requeue asks first: no writes nothing, yes queues inside the open transaction")
    func interactiveConfirmation() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(
            arguments: database.curateArguments + ["-X"], cols: 160, executable: try SwiftPluginExample.binary())
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\requeue N20240629S0004.fits")
        try terminal.waitFor("| queue")  // the plan comes before the question
        try terminal.waitFor("Queue 1 file for ingest? [y/N]")
        try terminal.sendLine("n")
        try terminal.waitFor("Declined: nothing was queued.")
        try terminal.waitFor("=# ")
        try terminal.sendLine("BEGIN;")
        try terminal.waitFor("=*# ")
        try terminal.sendLine("\\requeue N20240629S0004.fits")
        try terminal.waitFor("Queue 1 file for ingest? [y/N]")
        try terminal.sendLine("y")
        try terminal.waitFor("Queued 1 file (batch curate-requeue) inside your transaction")
        try terminal.waitFor("=*# ")
        // Not committed: another session does not see it yet.
        #expect(try database.psql(Self.queuedByCurate) == "0")
        try terminal.sendLine("COMMIT;")
        try terminal.waitFor("COMMIT")
        try terminal.waitFor("=# ")
        #expect(try database.psql(Self.queuedByCurate) == "1")
        // A message after a table prints below it, never above the output held for the pager.
        try terminal.sendLine("\\requeue N20240629S0004.fits")
        try terminal.waitFor("Nothing to queue")
        try terminal.waitFor("=# ")
        let transcript = terminal.transcript
        let table = try #require(transcript.range(of: "| already queued", options: .backwards))
        let message = try #require(transcript.range(of: "Nothing to queue", options: .backwards))
        #expect(table.upperBound < message.lowerBound, "\(transcript)")
        try terminal.sendControlDAtPrompt()
        #expect(try terminal.waitForExit() == 0)
    }

    // A Swift plugin that claims a built-in command's name (or one an earlier plugin took) is refused
    // at startup with a warning naming both, and the built-in keeps the name: the registry's tests in
    // Tests/CurateShellTests/StartupTests.swift (cannotShadowBuiltin, duplicateCommandIsRefused)
    // load such plugins through the same PluginLoader that CurateMain.run(plugins:) uses.
}
