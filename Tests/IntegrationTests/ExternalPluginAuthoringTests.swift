import CurateTestSupport
import Foundation
import Testing

/// What a plugin author meets: errors that say what to do, and tables streamed in batches.
@Suite("External plugins: errors that teach, streamed tables", .serialized)
struct ExternalPluginAuthoringTests {
    private func withFolder(_ fixtures: [String], _ body: (TestDatabase, PluginFolder) throws -> Void) throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try PluginFolder()
        defer { folder.remove() }
        for name in fixtures { try folder.addFixture(name) }
        try body(database, folder)
    }

    private func run(_ database: TestDatabase, _ folder: PluginFolder, _ arguments: [String]) -> CurateResult {
        CurateProcess.run(in: database, arguments: ["-X", "--plugin-dir", folder.path] + arguments)
    }

    static let written = "SELECT count(*) FROM ingestqueue WHERE path = '/plugin'"

    @Test("a write the plugin did not declare is refused with the capability to declare named")
    func undeclaredWrite() throws {
        try withFolder(["undeclared"]) { (database: TestDatabase, folder: PluginFolder) throws in
            let result = run(database, folder, ["-c", "\\undeclared"])
            #expect(result.status == 3, "\(result)")
            #expect(result.stderr.contains("\\undeclared: cannot execute INSERT in a read-only transaction"), "\(result)")
            #expect(result.stderr.contains("HINT:  the plugin did not declare that it writes, so curate runs its statements read-only: add \"writes\" to \"capabilities\" in its hello"), "\(result)")
            #expect(try database.psql(Self.written) == "0")
        }
    }

    @Test("a no-transaction plugin that tries to lift its read-only mode is told to declare writes, not to \\set READONLY off")
    func noTransactionHint() throws {
        try withFolder(["notxlift"]) { (database: TestDatabase, folder: PluginFolder) throws in
            let result = run(database, folder, ["-c", "\\notxlift"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("lift: error refused: this session is read-only"), "\(result)")
            #expect(result.stdout.contains("add \"writes\" to \"capabilities\""), "\(result)")
            #expect(!result.stdout.contains("READONLY") && !result.stderr.contains("READONLY"), "\(result)")
            #expect(try database.psql("SHOW default_transaction_read_only") == "off")
        }
    }

    @Test("a plugin file that is not executable, or whose name has a dot, is skipped with a warning saying why")
    func skippedFilesSaySo() throws {
        try withFolder([]) { (database: TestDatabase, folder: PluginFolder) throws in
            try folder.add(PluginFolder.fixture, as: "curate-tool.py")
            try folder.add(PluginFolder.fixture, as: "curate-plain", mode: 0o644)
            let result = run(database, folder, ["-c", "SELECT 1"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.contains("curate: warning: plugin \(folder.path)/curate-tool.py refused: \"tool.py\" is not a command name: after curate- only letters, digits, - and _ may follow, no dot (rename it curate-tool)"), "\(result)")
            #expect(result.stderr.contains("curate: warning: plugin \(folder.path)/curate-plain refused: it is not executable; run: chmod u+x \(folder.path)/curate-plain"), "\(result)")
        }
    }

    @Test("\\plugins explains a version shown as ?")
    func unknownVersionExplained() throws {
        try withFolder(["noversion", "crash"]) { (database: TestDatabase, folder: PluginFolder) throws in
            let result = run(database, folder, ["-c", "\\plugins"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("Version ? of \\noversion: its hello gives no \"version\" (add \"version\": \"1.0.0\" to it)"), "\(result)")
            #expect(!result.stdout.contains("Version ? of \\crash"), "\(result)")
        }
    }

    @Test("a streamed table (table_begin, table_rows, table_end) prints like a query result, in every format")
    func streamedTable() throws {
        try withFolder(["streamer", "badstream"]) { (database: TestDatabase, folder: PluginFolder) throws in
            let aligned = run(database, folder, ["-c", "\\streamer"])
            #expect(aligned.status == 0, "\(aligned)")
            // Byte for byte what psql prints for the same values as a query result.
            let psql = try PsqlRun.run(["-X", "-c", """
                SELECT * FROM (VALUES (1, 'row 1', NULL), (2, E'row "2"\\tü\\n2', 'true'), (3, 'row 3', NULL)) t(n, text, maybe)
                """], in: database)
            #expect(aligned.stdout == String(decoding: psql.stdout, as: UTF8.self) + "after the table\n", "\(aligned)")
            let wrapped = run(database, folder, ["-P", "format=wrapped", "-P", "columns=20", "-x", "-c", "\\streamer"])
            let psqlWrapped = try PsqlRun.run(["-X", "-P", "format=wrapped", "-P", "columns=20", "-x", "-c", """
                SELECT * FROM (VALUES (1, 'row 1', NULL), (2, E'row "2"\\tü\\n2', 'true'), (3, 'row 3', NULL)) t(n, text, maybe)
                """], in: database)
            #expect(wrapped.stdout == String(decoding: psqlWrapped.stdout, as: UTF8.self) + "after the table\n", "\(wrapped)")
            let csv = run(database, folder, ["--csv", "-c", "\\streamer 2500"])
            let lines = csv.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.first == "n,text,maybe")
            #expect(lines.contains("2500,row 2500,true"), "\(csv.stdout.suffix(200))")
            // The header, 2,500 rows (row 2's value spans two lines), the plugin's line, the final newline.
            #expect(lines.count == 2504, "\(csv.stdout.prefix(300))")
            let json = run(database, folder, ["--json", "-c", "\\streamer"])
            #expect(json.stdout.hasPrefix("[{\"n\": 1, \"text\": \"row 1\", \"maybe\": null},"), "\(json)")

            let bad = run(database, folder, ["-c", "\\badstream"])
            #expect(bad.status == 3, "\(bad)")
            #expect(bad.stderr.contains("\\badstream: the plugin failed: it broke the protocol: line 3 (table_rows): row 2 has 1 values; the table has 2 columns"), "\(bad)")
        }
    }
}
