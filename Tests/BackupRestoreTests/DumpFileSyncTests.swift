@testable import BackupPlugin
import CurateKit
import CurateTestSupport
import Foundation
import Testing

/// A custom backup's file is synced to disk by curate, beside the proof, instead of by pg_dump.
@Suite("The sync of a custom backup's file")
struct DumpFileSyncTests {
    @Test("the file is created private before pg_dump writes it, and a sync that succeeds lets the wait return")
    func createsAndSyncs() throws {
        let folder = try BackupRestoreIntegrationTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/dump.partial"
        let sync = try DumpFileSync(creating: path)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        // Written through another descriptor, as pg_dump writes it.
        try Data(repeating: 7, count: 1 << 20).write(to: URL(fileURLWithPath: path))
        sync.start()
        try sync.wait()
        // A second wait returns at once with the same outcome.
        try sync.wait()
    }

    @Test("a sync that fails is an error naming the file (a device that takes no fsync)")
    func failedSync() throws {
        let sync = try DumpFileSync(creating: "/dev/null")
        sync.start()
        let error = #expect(throws: FileError.self) { try sync.wait() }
        #expect(error?.description == "cannot sync /dev/null: \(String(cString: strerror(EINVAL)))")
    }

    @Test("a file that cannot be created is an error naming it")
    func cannotCreate() throws {
        let error = #expect(throws: FileError.self) { try DumpFileSync(creating: "/nonexistent-folder/dump.partial") }
        #expect(error?.description.hasPrefix("cannot create /nonexistent-folder/dump.partial:") == true)
    }
}

extension BackupRestoreIntegrationTests {
    @Test("a custom backup: pg_dump runs with --no-sync into a file curate created private, and the backup is good")
    func pgDumpLeavesTheSyncToCurate() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let seen = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: seen) }
        // pg_dump records its arguments and its file's mode as it finds it, then dumps.
        let bin = try Self.fakeBin(["pg_dump": """
            for a in "$@"; do case "$a" in --version) exec \(Self.realBin)/pg_dump --version;; --file=*) f="${a#--file=}";; esac; done
            { echo "$*"; stat -c %a "$f"; } > \(seen)/pg_dump
            exec \(Self.realBin)/pg_dump "$@"
            """])
        defer { try? FileManager.default.removeItem(atPath: bin) }
        let result = curate(database, ["\\backup --dir \(folder)"], environment: ["CURATE_PGBIN": bin])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains(") verified, sha256 "), "\(result)")
        let lines = try String(contentsOfFile: seen + "/pg_dump", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2 && lines[0].split(separator: " ").contains("--no-sync"), "\(lines)")
        #expect(lines.last == "600", "\(lines)")
    }
}
