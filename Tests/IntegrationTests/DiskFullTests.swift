import CurateTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A small tmpfs mounted for one test (root only), always unmounted again.
enum SmallFilesystem {
    /// Whether a tmpfs can be mounted here: tried once.
    static let available: Bool = {
        guard getuid() == 0, let folder = try? mount(kilobytes: 64) else { return false }
        unmount(folder)
        return true
    }()

    /// Mounts a tmpfs of `kilobytes` on a new folder under /tmp and returns the folder.
    static func mount(kilobytes: Int) throws -> String {
        var template = Array("/tmp/curate-diskfull.XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw SmallFilesystemError(message: "mkdtemp: \(String(cString: strerror(errno)))")
        }
        let folder = String(cString: made)
        guard Glibc.mount("tmpfs", folder, "tmpfs", 0, "size=\(kilobytes)k,mode=0700") == 0 else {
            let message = "mount -t tmpfs on \(folder): \(String(cString: strerror(errno)))"
            rmdir(folder)
            throw SmallFilesystemError(message: message)
        }
        return folder
    }

    /// Unmounts (lazily when still busy) and removes the folder.
    static func unmount(_ folder: String) {
        if umount(folder) != 0 { _ = umount2(folder, Int32(MNT_DETACH)) }
        rmdir(folder)
    }
}

struct SmallFilesystemError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A backup into a folder whose filesystem fills up while pg_dump writes. curate must fail
/// cleanly: a clear error naming the cause, the partial file removed, no manifest, and a note
/// that keeps `\backup prune` from deleting older backups (the newest backup failed).
@Suite(
    "Disk full during a backup",
    .enabled(if: getuid() == 0, "mounting a small tmpfs needs root"),
    .enabled(if: SmallFilesystem.available, "mount -t tmpfs failed here (no CAP_SYS_ADMIN in this container?)")
)
struct DiskFullTests {
    /// A backup name's timestamp, in local time as curate writes it.
    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSSSS"
        return formatter.string(from: date)
    }

    @Test("the filesystem fills during pg_dump: clean error, partial file removed, no manifest, prune then deletes nothing")
    func backupOnFullDisk() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        // About 1.5 MB of dump, on a 256 kB filesystem.
        try database.psql("CREATE TABLE filler AS SELECT g, md5(g::text) || md5((g * 7)::text) AS noise FROM generate_series(1, 40000) g")
        let folder = try SmallFilesystem.mount(kilobytes: 256)
        defer { SmallFilesystem.unmount(folder) }

        // Older backups of this database (empty files: prune only reads their names). By the
        // archive's rules prune would delete two of them: January 2020 keeps only its newest.
        let seeded = [
            Self.stamp(Date().addingTimeInterval(-3600)), "2020-01-06T02:00:00.000000",
            "2020-01-13T02:00:00.000000", "2020-01-20T02:00:00.000000",
        ].map { "\(database.name).\($0).pg_dump_c" }
        for name in seeded {
            #expect(FileManager.default.createFile(atPath: "\(folder)/\(name)", contents: nil))
        }
        let planned = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\backup prune --dry-run --dir \(folder)"])
        #expect(planned.status == 0, "\(planned)")
        #expect(planned.stdout.contains("2 backups would be deleted"), "prune would delete some before the failure: \(planned)")

        let backup = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\backup --dir \(folder)"])
        #expect(backup.status == 3, "\(backup)")
        #expect(backup.stderr.contains("backup failed"), "\(backup)")
        #expect(backup.stderr.contains("No space left on device"), "the error names the cause: \(backup)")
        #expect(backup.stderr.contains("nothing that looks like a backup was left"), "\(backup)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(!names.contains { $0.hasSuffix(".partial") }, "the partial file is removed: \(names)")
        #expect(!names.contains { $0.hasSuffix(".manifest") }, "no manifest: \(names)")
        #expect(!names.contains { $0.contains(".tmp") }, "no temporary file: \(names)")
        let failedNotes = names.filter { $0.hasSuffix(".pg_dump_c.failed") }
        #expect(failedNotes.count == 1, "a note records the failure: \(names)")
        #expect(Set(names) == Set(seeded + failedNotes), "\(names)")

        let prune = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\backup prune --yes --dir \(folder)"])
        #expect(prune.status == 0, "\(prune)")
        #expect(prune.stdout.contains("prune: nothing to delete"), "\(prune)")
        let backupName = String((failedNotes.first ?? "").dropLast(".failed".count))
        #expect(prune.stdout.contains("nothing deleted: the newest backup \(backupName) failed (\(backupName).failed says why)"), "\(prune)")
        for name in seeded {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(name)"), "\(name) was kept")
        }
    }

    @Test("the filesystem is full before the backup starts: the failure is still marked (an empty note), so prune deletes nothing")
    func backupOnDiskAlreadyFull() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try SmallFilesystem.mount(kilobytes: 128)
        defer { SmallFilesystem.unmount(folder) }
        let seeded = [Self.stamp(Date().addingTimeInterval(-3600)), "2020-01-06T02:00:00.000000",
                      "2020-01-13T02:00:00.000000", "2020-01-20T02:00:00.000000"].map { "\(database.name).\($0).pg_dump_c" }
        for name in seeded {
            #expect(FileManager.default.createFile(atPath: "\(folder)/\(name)", contents: nil))
        }
        // Fill every page of the filesystem.
        let filler = open("\(folder)/filler", O_WRONLY | O_CREAT, 0o600)
        #expect(filler >= 0)
        let block = [UInt8](repeating: 0x2A, count: 4096)
        while block.withUnsafeBytes({ write(filler, $0.baseAddress, $0.count) }) > 0 {}
        #expect(errno == ENOSPC)
        close(filler)

        let backup = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\backup --dir \(folder)"])
        #expect(backup.status == 3, "\(backup)")
        #expect(backup.stderr.contains("No space left on device"), "\(backup)")
        #expect(backup.stderr.contains("marks the failure (empty: no room was left to say why)"), "\(backup)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        let notes = names.filter { $0.hasSuffix(".pg_dump_c.failed") }
        #expect(notes.count == 1, "\(names)")
        #expect(!names.contains { $0.hasSuffix(".partial") || $0.hasSuffix(".manifest") || $0.contains(".tmp") }, "\(names)")

        let prune = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\backup prune --yes --dir \(folder)"])
        #expect(prune.stdout.contains("prune: nothing to delete"), "\(prune)")
        for name in seeded {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(name)"), "\(name) was kept")
        }
    }
}
