import CurateTestSupport
import Foundation
import Testing

@Suite("\\fix --dry-run: no audit id that will never exist")
struct DryRunAuditTests {
    @Test("a dry run prints no audit id and uses none up: the next committed fix gets the next id, with no gap")
    func noIdNoGap() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try PackIntegrationTests.withExampleFolder { folder in
            let pack = ["-X", "--plugin-dir", folder]
            try database.psql("UPDATE diskfile SET compressed = NOT compressed WHERE id IN (5, 6, 50)")
            let first = CurateProcess.run(in: database, arguments: pack + ["-c", "\\fix compressed-flag-mismatch --where 'id = 5' --commit --yes"])
            #expect(first.status == 0, "\(first)")
            #expect(first.stdout.contains("Audit record 1 "), "\(first)")

            // The audit schema exists now: a dry run still names no record.
            let dryRun = CurateProcess.run(in: database, arguments: pack + ["-c", "\\fix compressed-flag-mismatch --dry-run"])
            #expect(dryRun.status == 0, "\(dryRun)")
            #expect(dryRun.stdout.contains("2 rows changed"), "\(dryRun)")
            #expect(!dryRun.stdout.contains("Audit record"), "\(dryRun)")
            #expect(dryRun.stderr.contains("Dry run: rolled back, nothing changed."))

            let second = CurateProcess.run(in: database, arguments: pack + ["-c", "\\fix compressed-flag-mismatch --commit --yes"])
            #expect(second.status == 0, "\(second)")
            #expect(second.stdout.contains("Audit record 2 "), "\(second)")
            #expect(try database.psql("SELECT string_agg(id::text, ',' ORDER BY id) FROM curate.audit") == "1,2")

            // Nor does a dry run of an undo.
            let undo = CurateProcess.run(in: database, arguments: pack + ["-c", "\\fix undo 2 --dry-run"])
            #expect(undo.status == 0, "\(undo)")
            #expect(undo.stdout.contains("Undo of audit record 2:"), "\(undo)")
            #expect(!undo.stdout.contains("(the undo)"), "\(undo)")
            #expect(try database.psql("SELECT string_agg(id::text, ',' ORDER BY id) FROM curate.audit") == "1,2")
        }
    }
}
