import CurateTestSupport
import Foundation
import Testing

/// What a cron job can rely on (docs/curation-guide.md, "\check in a script"): a check that could
/// not run always fails \check, as pg_amcheck fails when it cannot check; findings fail it when
/// --fail-on says which severity counts.
@Suite("\\check in a script: the exit status")
struct CheckExitStatusTests {
    static let packs = """
        -- pack: cron
        -- check: cannot-run
        -- severity: info
        -- description: refers to a table that is not there
        SELECT id FROM no_such_table_here
        -- check: always-finds
        -- severity: warning
        -- description: finds one row
        SELECT 1 AS id
        """

    @Test("a check that FAILED to run makes \\check exit non-zero, with or without --fail-on; findings only with --fail-on")
    func failedAndFindings() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Packs.withFolder { folder in
            try Packs.write(Self.packs, to: folder + "/cron.pack.sql")
            let base = ["-X", "--plugin-dir", folder, "-c"]
            let failed = CurateProcess.run(in: database, arguments: base + ["\\check cannot-run"])
            #expect(failed.status == 3, "\(failed)")
            #expect(failed.stdout.contains("cannot-run (cron, info): FAILED to run"), "\(failed)")
            #expect(failed.stderr.contains("1 check could not run (cannot-run)"), "\(failed)")

            let findings = CurateProcess.run(in: database, arguments: base + ["\\check always-finds"])
            #expect(findings.status == 0, "\(findings)")
            let failOn = CurateProcess.run(in: database, arguments: base + ["\\check always-finds --fail-on warning"])
            #expect(failOn.status == 3, "\(failOn)")
            let below = CurateProcess.run(in: database, arguments: base + ["\\check always-finds --fail-on error"])
            #expect(below.status == 0, "\(below)")
        }
    }
}
