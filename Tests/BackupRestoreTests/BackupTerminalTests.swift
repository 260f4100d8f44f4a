import BackupPlugin
import CurateTestSupport
import Foundation
import Testing

/// `\backup` and `\restore` as a person at a terminal meets them: the progress line, and prune
/// asking before it deletes.
extension BackupRestoreIntegrationTests {
    /// curate at a 200-column terminal in `database`, at its first prompt.
    static func terminal(_ database: TestDatabase, environment: [String: String] = [:]) throws -> PTYSession {
        let session = try PTYSession(arguments: ["-X"] + database.curateArguments, cols: 200, environment: environment)
        try session.waitFor(prompt(database))
        return session
    }

    /// The prompt's end: `user@database=>`, or `=#` for a superuser.
    static func prompt(_ database: TestDatabase) -> String { "@\(database.name)=" }

    /// The "DONE/TOTAL tables, SIZE UNIT WORD" parts of the progress lines in `transcript`.
    static func progressStates(in transcript: String, word: String) -> [(done: Int, total: Int, size: Double, unit: String)] {
        let pattern = try! NSRegularExpression(pattern: "\\] (\\d+)/(\\d+) tables, ([0-9.]+) (bytes|kB|MB|GB) \(word)")
        let text = transcript as NSString
        return pattern.matches(in: transcript, range: NSRange(location: 0, length: text.length)).map { match in
            (Int(text.substring(with: match.range(at: 1)))!, Int(text.substring(with: match.range(at: 2)))!,
             Double(text.substring(with: match.range(at: 3)))!, text.substring(with: match.range(at: 4)))
        }
    }

    @Test("at a terminal, \\backup and \\restore show tables done out of the total and the bytes written")
    func progressAtTerminal() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // pg_dump and pg_restore that stay a moment after their work is done, so that the last
        // state of the progress line is drawn for certain (it is redrawn ten times a second).
        let bin = try Self.fakeBin([
            "pg_dump": """
                for a in "$@"; do [ "$a" = --version ] && exec \(Self.realBin)/pg_dump --version; done
                \(Self.realBin)/pg_dump "$@" || exit $?
                sleep 1
                """,
            "pg_restore": """
                for a in "$@"; do case "$a" in --dbname=*) \(Self.realBin)/pg_restore "$@" || exit $?; sleep 1; exit 0;; esac; done
                exec \(Self.realBin)/pg_restore "$@"
                """,
        ])
        defer { try? FileManager.default.removeItem(atPath: bin) }
        let tables = try #require(Int(try database.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")))

        let session = try Self.terminal(database, environment: ["CURATE_PGBIN": bin])
        defer { session.terminate() }
        try session.sendLine("\\backup --dir \(folder)")
        let backup = try session.waitFor("verified, sha256", timeout: 120)
        let states = Self.progressStates(in: backup, word: "written")
        #expect(!states.isEmpty, "no progress line: \(backup)")
        #expect(states.allSatisfy { $0.total == tables && $0.done <= $0.total }, "\(states)")
        // A single pg_dump tells only which table it starts on: the last one is done when it ends.
        let last = try #require(states.last)
        #expect(last.done == tables - 1, "\(states)")
        #expect(last.size > 0 && last.unit != "bytes", "\(states)")
        // The size written is the backup's, as the summary line says.
        let file = try #require(try Self.backups(in: folder).first)
        #expect(backup.contains("(\(BackupFiles.humanSize(BackupFiles.size(folder + "/" + file))), custom, \(tables) tables"), "\(backup)")
        #expect(backup.contains("backup \(database.name) ["), "\(backup)")

        // A parallel dump reports each table it has finished.
        try session.sendLine("\\backup --dir \(folder) --format directory --jobs 2")
        let parallel = Self.progressStates(in: try session.waitFor("verified, sha256", timeout: 120), word: "written")
        #expect(parallel.last.map { $0.done == tables && $0.total == tables && $0.size > 0 } == true, "\(parallel)")

        // With --exclude-table the total is pg_dump's to know: tables are counted without one.
        try session.sendLine("\\backup --dir \(folder) --exclude-table header")
        let excluding = try session.waitFor("verified, sha256", timeout: 120)
        let counted = try NSRegularExpression(pattern: "backup \(database.name) (\\d+) tables, [0-9.]+ (bytes|kB|MB|GB) written")
            .matches(in: excluding, range: NSRange(location: 0, length: (excluding as NSString).length))
            .map { Int((excluding as NSString).substring(with: $0.range(at: 1)))! }
        #expect(!counted.isEmpty, "\(excluding)")
        #expect(counted.last == tables - 2, "the last table started is not counted done; header is left out: \(counted)")
        #expect(Self.progressStates(in: excluding, word: "written").isEmpty, "no total claimed: \(excluding)")

        let target = "\(database.name)_t"
        defer { drop(database.server, target) }
        try session.sendLine("\\restore \(folder)/\(file) --into \(target) --jobs 2")
        let restore = try session.waitFor("restore: \(file) into database \(target)", timeout: 120)
        let restoreStates = Self.progressStates(in: restore, word: "restored")
        #expect(!restoreStates.isEmpty, "no progress line: \(restore)")
        let lastRestore = try #require(restoreStates.last)
        #expect(lastRestore.done == tables && lastRestore.total == tables, "\(restoreStates)")
        #expect(lastRestore.size > 0 && lastRestore.unit == "MB", "\(restoreStates)")
    }

    @Test("at a terminal, \\backup prune lists what it would delete and asks: no deletes nothing, yes deletes exactly the list")
    func pruneAsks() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Old backups of 2020: the one of 5 January is the newest of its month (kept), the
        // others go; today's real backup is kept.
        var old: [String] = []
        for day in 1...5 {
            let name = BackupName(database: database.name, timestamp: BackupTimestamp(year: 2020, month: 1, day: day, hour: 2), format: .custom)
            _ = FileManager.default.createFile(atPath: folder + "/" + name.fileName, contents: Data("old".utf8))
            old.append(name.fileName)
        }
        _ = FileManager.default.createFile(atPath: folder + "/notes.txt", contents: Data())
        #expect(curate(database, ["\\backup --dir \(folder)"]).status == 0)
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: folder))

        let session = try Self.terminal(database)
        defer { session.terminate() }
        try session.sendLine("\\backup prune --dir \(folder)")
        let listed = try session.waitFor("[y/N]")
        let toDelete = Set(listed.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            return words.count >= 2 && words[1] == "delete" ? String(words[0]) : nil
        })
        #expect(toDelete == Set(old.prefix(4)), "\(listed)")
        #expect(listed.contains("Delete 4 backups listed above"), "\(listed)")
        try session.sendLine("n")
        try session.waitFor("prune: nothing deleted")
        try session.waitFor(Self.prompt(database))
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder)) == before)

        try session.sendLine("\\backup prune --dir \(folder)")
        let again = try session.waitFor("[y/N]")
        #expect(again.contains("Delete 4 backups listed above"), "\(again)")
        try session.sendLine("y")
        try session.waitFor("prune: deleted 4 backups")
        try session.waitFor(Self.prompt(database))
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder)) == before.subtracting(toDelete))
    }
}
