import BackupPlugin
import CurateTestSupport
import Foundation
import Testing

/// A manifest that exists but cannot be read is reported, never taken for "no manifest" (it may
/// be the record of a failed verification).
@Suite("Backup manifest reading")
struct ManifestReadingTests {
    @Test("no manifest is nil; one that is not JSON, or lacks a field, is an error naming the file and the reason")
    func readErrors() throws {
        let folder = try BackupRestoreIntegrationTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try BackupManifest.read(path: folder + "/none.manifest") == nil)

        let garbage = folder + "/garbage.manifest"
        try Data("{\"file\": \"x\", trunc".utf8).write(to: URL(fileURLWithPath: garbage))
        #expect(throws: BackupManifest.Unreadable.self) { try BackupManifest.read(path: garbage) }
        do {
            _ = try BackupManifest.read(path: garbage)
        } catch {
            #expect(error.description == "the manifest garbage.manifest is corrupt: it is not valid JSON")
        }

        let partial = folder + "/partial.manifest"
        try Data("{\"file\": \"x\"}".utf8).write(to: URL(fileURLWithPath: partial))
        do {
            _ = try BackupManifest.read(path: partial)
            Issue.record("no error")
        } catch {
            #expect(error.description.hasPrefix("the manifest partial.manifest is corrupt: the field \""), "\(error)")
        }
    }
}

extension BackupRestoreIntegrationTests {
    @Test("a corrupt manifest: \\backup list, \\backup verify and \\restore each report it instead of treating the backup as unverified")
    func corruptManifest() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let backup = curate(database, ["\\backup --dir \(folder)"])
        #expect(backup.status == 0, "\(backup)")
        let file = try #require(try Self.backups(in: folder).first)
        try Data("not a manifest".utf8).write(to: URL(fileURLWithPath: folder + "/" + file + ".manifest"))

        let list = curate(database, ["\\backup list --dir \(folder)"])
        #expect(list.status != 0, "\(list)")
        #expect(list.stderr.contains("\(file): the manifest \(file).manifest is corrupt: it is not valid JSON"), "\(list)")
        #expect(!list.stdout.contains("no manifest"), "\(list)")

        let verify = curate(database, ["\\backup verify --dir \(folder) \(file)"])
        #expect(verify.status != 0, "\(verify)")
        #expect(verify.stderr.contains("FAILED verification: the manifest \(file).manifest is corrupt"), "\(verify)")
        // The corrupt file is left for the user to look at.
        #expect(try String(contentsOfFile: folder + "/" + file + ".manifest", encoding: .utf8) == "not a manifest")

        let restore = curate(database, ["\\restore --dir \(folder) \(file) --into-new"])
        #expect(restore.status != 0, "\(restore)")
        #expect(restore.stderr.contains("the manifest \(file).manifest is corrupt"), "\(restore)")
    }
}
