@testable import BackupPlugin
import CurateTestSupport
import Foundation
import Testing

/// `--exclude-table-data`: the guide's nightly cron command, the table kept without its rows,
/// and a restore that says so before it starts.
extension BackupRestoreIntegrationTests {
    @Test("the guide's cron command: ingestqueue's definition is backed up without its rows, and a restore says so first")
    func excludeTableDataCronExample() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let queued = try database.psql("SELECT count(*) FROM ingestqueue")
        try #require(Int(queued) ?? 0 > 0, "the sample has no queued rows")
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // docs/backup-guide.md, "Nightly from cron", with this test's folder and database.
        let cron = CurateProcess.run(in: database, arguments: [
            "-X", "-c", "\\backup --dir \(folder) --exclude-table-data=ingestqueue",
            "-c", "\\backup prune --dir \(folder) --yes", "-c", "\\backup list --dir \(folder)",
        ], timeout: 300)
        #expect(cron.status == 0, "\(cron)")
        #expect(cron.stdout.contains("verified"), "\(cron)")
        let name = try #require(try Self.backups(in: folder).first)
        let file = folder + "/" + name

        let entries = try Self.listing(file)
        #expect(entries.contains { $0.type == "TABLE" && $0.tag == "ingestqueue" })
        #expect(!entries.contains { $0.type == "TABLE DATA" && $0.tag == "ingestqueue" })
        #expect(entries.contains { $0.type == "TABLE DATA" && $0.tag == "diskfile" })
        let manifest = try #require(try BackupManifest.read(path: file + ".manifest"))
        #expect(manifest.excludedTableData == ["ingestqueue"])
        #expect(manifest.excludedTables.isEmpty)

        let target = "\(database.name)_x"
        defer { drop(database.server, target) }
        let restore = curate(database, ["\\restore \(file) --into \(target)"])
        #expect(restore.status == 0, "\(restore)")
        let note = "NOTE: \(name) was made without the rows of tables matching ingestqueue (--exclude-table-data: the tables are restored empty)"
        // The note is the first thing the restore says.
        #expect(restore.stderr.hasPrefix(note), "\(restore)")
        #expect(try database.server.psql("SELECT count(*) FROM ingestqueue", database: target) == "0")
        #expect(try database.server.psql("SELECT count(*) FROM diskfile", database: target) == (try database.psql("SELECT count(*) FROM diskfile")))
    }

    @Test("the restore note names what a backup left out, and there is none when it left out nothing")
    func noExclusionNoNote() throws {
        let manifest = BackupManifest(
            file: "db.2025-01-01T02:00:00.pg_dump_c", database: "db", format: .custom, created: "2025-01-01T02:00:00", state: .verified,
            verifiedAt: nil, failure: nil, sizeBytes: 1, sha256: "", tocEntries: nil, tableDataEntries: nil, pgDumpVersion: "",
            serverVersion: "", durationSeconds: 0, excludedTables: [], excludedTableData: nil, dataOnly: false, findings: [], globalsFile: nil)
        #expect(manifest.exclusionNote == nil)
        var both = manifest
        both.excludedTables = ["audit_*"]
        both.excludedTableData = ["ingestqueue", "log"]
        #expect(both.exclusionNote == "db.2025-01-01T02:00:00.pg_dump_c was made without tables matching audit_* (--exclude-table: neither definition nor rows) and the rows of tables matching ingestqueue, log (--exclude-table-data: the tables are restored empty)")
    }
}
