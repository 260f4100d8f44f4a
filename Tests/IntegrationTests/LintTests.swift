import CurateTestSupport
import Foundation
import Testing

/// `curate --lint PATH...`: packs and plugins checked as curate would load them, for an author's CI.
@Suite("curate --lint: packs and plugins checked without a server", .serialized)
struct LintTests {
    static let examplePack = CurateBinary.packageRoot.appendingPathComponent("Examples/packs/archive-extra.pack.sql").path

    /// A pack whose fix names the wrong alias, and whose second check clashes with a built-in.
    static let badPack = """
        -- pack: bad
        -- check: bad-alias
        -- severity: warning
        -- description: a diskfile that is not present
        SELECT d.id FROM diskfile d JOIN file f ON f.id = d.file_id WHERE NOT d.present
        -- fix: bad-alias
        -- summary: mark it present
        -- table: diskfile
        -- key: id
        -- set: present
        -- lock:
        SELECT d.id AS scope FROM diskfile d JOIN file f ON f.id = d.file_id WHERE NOT d.present AND {where f} FOR UPDATE OF d
        -- target:
        SELECT d.id, true AS present FROM diskfile d WHERE d.id = ANY($1::integer[])
        -- check: duplicate-canonical
        -- severity: info
        -- description: clashes with a built-in
        SELECT 1
        """

    @Test("a good folder passes (exit 0) with no server; every problem is named FILE:LINE: error: (exit 1)")
    func offline() throws {
        let folder = try PluginFolder()
        defer { folder.remove() }
        try folder.add(Self.examplePack, as: "archive-extra.pack.sql", mode: 0o644)
        try folder.add(PluginFolder.example + "/curate-orphans", as: "curate-orphans")
        try folder.add(PluginFolder.example + "/curate_plugin.py", as: "curate_plugin.py", mode: 0o644)
        // No server anywhere: PGHOST points at nothing.
        let environment = ["PGHOST": "/nonexistent", "PGPORT": "1"]
        let good = CurateProcess.run(arguments: ["--lint", folder.path], environment: environment)
        #expect(good.status == 0, "\(good)")
        #expect(good.stdout == "curate --lint: 1 pack file, 1 plugin checked (without a server: -d DBNAME also prepares every query): no problems\n", "\(good)")
        #expect(good.stderr.isEmpty, "\(good)")

        try Data(Self.badPack.utf8).write(to: URL(fileURLWithPath: folder.path + "/bad.pack.sql"))
        try folder.chmod(0o644, "bad.pack.sql")
        try folder.add(PluginFolder.fixture, as: "curate-two.py")
        try folder.add(PluginFolder.fixture, as: "curate-future")
        let bad = CurateProcess.run(arguments: ["--lint", folder.path + "/bad.pack.sql", folder.path + "/curate-two.py", folder.path + "/curate-future"],
                                    environment: environment)
        #expect(bad.status == 1, "\(bad)")
        #expect(bad.stderr.contains("\(folder.path)/bad.pack.sql:12: error: fix bad-alias (-- lock:): {where f} is refused: f is table file there"), "\(bad)")
        #expect(bad.stderr.contains("\(folder.path)/curate-two.py: error: \"two.py\" is not a command name"), "\(bad)")
        #expect(bad.stderr.contains("\(folder.path)/curate-future: error: \\future could not describe itself: it speaks protocol version 2"), "\(bad)")
        #expect(bad.stdout.hasSuffix("3 problems\n"), "\(bad)")

        // A session's options are refused with --lint, not ignored.
        let combined = CurateProcess.run(arguments: ["--lint", folder.path, "-c", "SELECT 1"], environment: environment)
        #expect(combined.status == 1, "\(combined)")
        #expect(combined.stderr.contains("--lint checks files and exits: it cannot be combined with -c, -f, -l or -o"), "\(combined)")
    }

    @Test("with -d the server prepares every query: a misspelt column is found without running anything")
    func withServer() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try PluginFolder()
        defer { folder.remove() }
        try Data("""
            -- check: misspelt
            -- severity: info
            -- description: a column that does not exist
            SELECT d.idd FROM diskfile d
            """.utf8).write(to: URL(fileURLWithPath: folder.path + "/misspelt.pack.sql"))
        try folder.chmod(0o644, "misspelt.pack.sql")
        let offline = CurateProcess.run(arguments: ["--lint", folder.path])
        #expect(offline.status == 0, "\(offline)")
        let result = CurateProcess.run(arguments: ["--lint", folder.path, "-h", database.host, "-p", database.port, "-U", database.user, "-d", database.name])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("\(folder.path)/misspelt.pack.sql:1: error: the server refuses the query of check misspelt: column d.idd does not exist"), "\(result)")
        let example = CurateProcess.run(arguments: ["--lint", Self.examplePack, "-h", database.host, "-p", database.port, "-U", database.user, "-d", database.name])
        #expect(example.status == 0, "\(example)")
    }
}
