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
}
