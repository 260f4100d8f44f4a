import BackupPlugin
import CurateTestSupport
import Foundation
import Testing

@Suite("Backup folder default")
struct BackupFolderDefaultTests {
    @Test("without --dir or BACKUP_DIR, backups go under $HOME/.local/share/curate/backups (the user's HOME, not the account's)")
    func defaultFolderFollowsHome() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("curate-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\backup"], environment: ["HOME": home.path, "XDG_DATA_HOME": "", "CURATE_BACKUP_DIR": ""])
        #expect(result.status == 0, "\(result)")
        let folder = home.appendingPathComponent(".local/share/curate/backups").path
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        #expect(files.contains { $0.hasPrefix(database.name + ".") && $0.hasSuffix(".pg_dump_c") }, "\(files)")
    }

    @Test("syncing a backup folder (done after the rename that names a verified backup): a folder that cannot be opened is named in the error")
    func folderSync() throws {
        let folder = try BackupRestoreIntegrationTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try BackupFiles.syncFolder(folder)
        #expect {
            try BackupFiles.syncFolder(folder + "/missing")
        } throws: { error in
            "\(error)" == "cannot open \(folder)/missing: No such file or directory"
        }
    }
}
