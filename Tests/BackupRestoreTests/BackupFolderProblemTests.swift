import CurateTestSupport
import Foundation
import Testing

/// A backup folder that cannot take a backup is refused before pg_dump starts, with the folder
/// and the problem named. Root can write anywhere, so as root curate runs as the postgres user.
@Suite("Backup folder problems")
struct BackupFolderProblemTests {
    /// A folder for the test, owned by root (or by the user running the tests), mode 0755.
    private static func makeFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-folder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        return folder
    }

    /// Runs curate with `-c command` as a user who is not root and does not own `folder`.
    private static func runAsOtherUser(_ database: TestDatabase, command: String, in folder: URL) throws -> CurateResult {
        guard geteuid() == 0 else {
            // Not root: the folder is made read-only for its owner instead.
            chmod(folder.path, 0o555)
            return CurateProcess.run(in: database, arguments: ["-X", "-c", command])
        }
        // The postgres user must reach the binary: a copy in a folder it can read.
        let binFolder = try makeFolder()
        let binary = binFolder.appendingPathComponent("curate")
        try FileManager.default.copyItem(at: CurateBinary.url, to: binary)
        chmod(binary.path, 0o755)
        let home = try makeFolder()
        chmod(home.path, 0o777)
        return CurateProcess.run(
            arguments: ["-u", "postgres", "--", binary.path] + database.curateArguments + ["-X", "-c", command],
            environment: ["HOME": home.path], executable: URL(fileURLWithPath: "/usr/sbin/runuser"))
    }

    @Test("a folder this user cannot write in: refused before pg_dump starts, folder and reason named, nothing left in it")
    func notWritable() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.runAsOtherUser(database, command: "\\backup --dir \(folder.path)", in: folder)
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("\\backup: the backup folder \(folder.path) is not writable: Permission denied"), "\(result)")
        #expect(result.stderr.contains("HINT:  make it writable for user "), "\(result)")
        #expect(!result.stderr.contains("pg_dump"), "pg_dump must not have started: \(result)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("a folder that cannot be created: the part that failed and the reason named")
    func cannotCreate() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.path + "/new/backups"
        let result = try Self.runAsOtherUser(database, command: "\\backup --dir \(target)", in: folder)
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("\\backup: cannot create the backup folder \(target): \(folder.path)/new: Permission denied"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/new"))
    }

    @Test("a file where the folder should be: refused, named")
    func notAFolder() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.path + "/backups"
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\backup --dir \(file)"])
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("\\backup: the backup folder \(file) is not a folder"), "\(result)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "x")
    }

    @Test("a missing folder is created (0700, with its parents) and the backup is taken there")
    func missingIsCreated() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.path + "/a/b"
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\backup --dir \(target)"])
        #expect(result.status == 0, "\(result)")
        let attributes = try FileManager.default.attributesOfItem(atPath: target)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
        let files = try FileManager.default.contentsOfDirectory(atPath: target)
        #expect(files.contains { $0.hasSuffix(".pg_dump_c") }, "\(files)")
        #expect(!files.contains { $0.hasPrefix(".curate-write-test") }, "\(files)")
    }
}
