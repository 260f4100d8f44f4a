import CurateTestSupport
import Foundation
import Testing

/// Check packs loaded by the real curate from `-P DIR`, run against the test server.
@Suite("check packs: loaded, run, fixed, reloaded")
struct PackIntegrationTests {
    /// A trusted folder holding a copy of the example pack (Examples/packs/archive-extra.pack.sql,
    /// the file docs/plugins.md ("Check packs") walks through).
    static func withExampleFolder(_ body: (String) throws -> Void) throws {
        try Packs.withFolder { folder in
            let text = try String(contentsOfFile: Packs.examplePath, encoding: .utf8)
            try Packs.write(text, to: folder + "/archive-extra.pack.sql")
            try body(folder)
        }
    }

    static func json(_ result: CurateResult) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return object?["checks"] as? [[String: Any]] ?? []
    }

    /// Every diskfile row, for comparing the table before and after.
    static let diskfileDigest = "SELECT md5(string_agg(to_jsonb(d)::text, ',' ORDER BY id)) FROM diskfile d"

    @Test("a pack check finds the seeded rows; its fix is previewed (dry run), committed, audited and undone")
    func findFixAuditUndo() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Self.withExampleFolder { folder in
            let pack = ["-X", "--plugin-dir", folder]
            // The sample is clean for this pack.
            let clean = CurateProcess.run(in: database, arguments: pack + ["-c", "\\check archive-extra --format json --fail-on info --no-record"])
            #expect(clean.status == 0, "\(clean)")
            #expect(clean.stderr.isEmpty, "\(clean)")
            let cleanChecks = try Self.json(clean)
            #expect(cleanChecks.map { $0["check"] as? String } == ["compressed-flag-mismatch", "queue-failed-inprogress", "diskfile-truncated"])
            #expect(cleanChecks.allSatisfy { $0["status"] as? String == "passed" && $0["pack"] as? String == "archive-extra" })

            // Seed the fault: three diskfiles whose flag disagrees with their name.
            try database.psql("UPDATE diskfile SET compressed = NOT compressed WHERE id IN (5, 6, 50)")
            #expect(try database.psql("SELECT string_agg(id || ':' || compressed || ':' || (filename LIKE '%.bz2'), ',' ORDER BY id) FROM diskfile WHERE id IN (5, 6, 50)")
                    == "5:true:false,6:false:true,50:true:false")
            let seeded = try database.psql(Self.diskfileDigest)

            let found = CurateProcess.run(in: database, arguments: pack + ["-c", "\\check compressed-flag-mismatch --format json --fail-on warning"])
            #expect(found.status == 3, "\(found)")
            let outcome = try #require(try Self.json(found).first)
            #expect(outcome["count"] as? Int == 3)
            #expect(outcome["severity"] as? String == "warning")
            let rows = outcome["rows"] as? [[String: Any]] ?? []
            #expect(rows.map { $0["diskfile_id"] as? Int } == [5, 6, 50])
            #expect(rows.map { $0["compressed"] as? Bool } == [true, false, true])

            // Preview only: nothing changes, not even the audit schema appears.
            let dryRun = CurateProcess.run(in: database, arguments: pack + ["-c", "\\fix compressed-flag-mismatch --dry-run"])
            #expect(dryRun.status == 0, "\(dryRun)")
            #expect(dryRun.stdout.contains("compressed-flag-mismatch: set compressed from the filename"))
            #expect(dryRun.stdout.contains("3 rows changed"))
            #expect(dryRun.stdout.contains("public.diskfile | id = 50 | compressed | true   | false"), "\(dryRun)")
            #expect(dryRun.stderr.contains("Dry run: rolled back, nothing changed."))
            #expect(try database.psql(Self.diskfileDigest) == seeded)
            #expect(try database.psql("SELECT to_regclass('curate.audit') IS NULL") == "t")

            // Committed, with its audit record in the same transaction.
            let fixed = CurateProcess.run(in: database, arguments: pack + ["-c", "\\fix compressed-flag-mismatch --commit --yes"])
            #expect(fixed.status == 0, "\(fixed)")
            #expect(fixed.stderr.contains("Committed."))
            #expect(try database.psql("SELECT string_agg(id || ':' || compressed, ',' ORDER BY id) FROM diskfile WHERE id IN (5, 6, 50)")
                    == "5:false,6:true,50:false")
            #expect(try database.psql("SELECT count(*) FROM diskfile WHERE compressed IS DISTINCT FROM (filename LIKE '%.bz2')") == "0")
            #expect(try database.psql("SELECT id, action, check_name, row_count, sql LIKE '%FOR UPDATE%' FROM curate.audit")
                    == "1|fix|compressed-flag-mismatch|3|t")
            #expect(try database.psql("""
                SELECT string_agg(key || ':' || (before->>'compressed') || '>' || (after->>'compressed'), ',' ORDER BY key::int)
                FROM curate.audit_row WHERE audit_id = 1 AND table_name = 'public.diskfile' AND key_column = 'id'
                """) == "5:true>false,6:false>true,50:true>false")
            let after = CurateProcess.run(in: database, arguments: pack + ["-c", "\\check compressed-flag-mismatch --fail-on warning"])
            #expect(after.status == 0, "\(after)")

            // Undone: the rows are back as seeded, and the undo is audited too.
            let undone = CurateProcess.run(in: database, arguments: pack + ["-c", "\\fix undo 1 --commit"])
            #expect(undone.status == 0, "\(undone)")
            #expect(try database.psql(Self.diskfileDigest) == seeded)
            #expect(try database.psql("SELECT action, check_name, undoes, row_count FROM curate.audit WHERE id = 2") == "undo|compressed-flag-mismatch|1|3")
        }
    }

    @Test("the example's other checks: a second row fix narrowed with --where, a parameter from a shell variable, a check without a fix")
    func otherExampleChecks() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Self.withExampleFolder { folder in
            let pack = ["-X", "--plugin-dir", folder]
            try database.psql("UPDATE ingestqueue SET inprogress = true WHERE fail_dt IS NOT NULL")
            try database.psql("UPDATE diskfile SET data_size = 100 WHERE id = 77")
            let found = CurateProcess.run(in: database, arguments: pack + ["-c", "\\check queue-failed-inprogress diskfile-truncated --format json"])
            #expect(found.status == 0, "\(found)")
            let checks = try Self.json(found)
            let queueRows = checks.first?["rows"] as? [[String: Any]] ?? []
            #expect(queueRows.map { $0["id"] as? Int } == [3, 4])
            let truncatedRows = checks.last?["rows"] as? [[String: Any]] ?? []
            #expect(truncatedRows.map { $0["diskfile_id"] as? Int } == [77])

            // The threshold is the check's parameter: below 100 bytes nothing is truncated.
            let lower = CurateProcess.run(in: database, arguments: pack + ["-v", "CURATE_MIN_FITS_BYTES=50", "-c", "\\check diskfile-truncated --fail-on info"])
            #expect(lower.status == 0, "\(lower)")
            #expect(lower.stdout.contains("diskfile-truncated (archive-extra, error): ok, 0 rows"))

            let narrowed = CurateProcess.run(in: database, arguments: pack + ["-c", "\\fix queue-failed-inprogress --where 'id = 3' --commit --yes"])
            #expect(narrowed.status == 0, "\(narrowed)")
            #expect(try database.psql("SELECT string_agg(id || ':' || inprogress, ',' ORDER BY id) FROM ingestqueue WHERE fail_dt IS NOT NULL") == "3:false,4:true")
            #expect(try database.psql("SELECT check_name, condition, row_count FROM curate.audit") == "queue-failed-inprogress|id = 3|1")

            let noFix = CurateProcess.run(in: database, arguments: pack + ["-c", "\\fix diskfile-truncated"])
            #expect(noFix.status == 3, "\(noFix)")
            #expect(noFix.stderr.contains("diskfile-truncated has no safe automatic repair: fetch the file again, re-ingest it"))
        }
    }

    @Test("a bad pack file is reported with file:line and skipped, while a good pack beside it loads")
    func badFileBesideGood() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Self.withExampleFolder { folder in
            try Packs.write("""
                -- pack: broken
                -- check: broken-check
                -- severity: critical
                -- description: a severity curate does not know
                SELECT 1
                """, to: folder + "/broken.pack.sql")
            let result = CurateProcess.run(in: database, arguments: ["-X", "--plugin-dir", folder, "-c", "\\check archive-extra"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.contains("curate: warning: \(folder)/broken.pack.sql:3: unknown severity \"critical\" for check broken-check; use info, warning or error"), "\(result)")
            #expect(result.stderr.contains("check pack \(folder)/broken.pack.sql skipped: 1 error"))
            #expect(result.stdout.contains("compressed-flag-mismatch (archive-extra, warning): ok, 0 rows"))
            #expect(result.stdout.contains("3 checks: 3 passed"))

            // \check --reload reports the same, and fails so that a script (or CI) can tell.
            let reload = CurateProcess.run(in: database, arguments: ["-X", "--plugin-dir", folder, "-c", "\\check --reload"])
            #expect(reload.status == 3, "\(reload)")
            #expect(reload.stderr.contains("\(folder)/broken.pack.sql:3: unknown severity"))
            #expect(reload.stderr.contains("1 check pack file skipped (the warnings above say why)"))
            #expect(reload.stdout.contains("Check packs reloaded: 1 pack, 3 checks: archive-extra (\(folder)/archive-extra.pack.sql)"))
        }
    }

    @Test("\\check --reload picks up a pack file written after startup; Tab completes its check names; \\fix sees it")
    func reloadInteractive() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Packs.withFolder { folder in
            let terminal = try PTYSession(arguments: database.curateArguments + ["-X", "--plugin-dir", folder], cols: 200)
            defer { terminal.terminate() }
            try terminal.waitFor("=# ")
            try terminal.sendLine("\\check compressed-flag-mismatch")
            try terminal.waitFor("no check or pack named \"compressed-flag-mismatch\"")
            try terminal.waitFor("=# ")

            let text = try String(contentsOfFile: Packs.examplePath, encoding: .utf8)
            try Packs.write(text, to: folder + "/archive-extra.pack.sql")
            try terminal.sendLine("\\check --reload")
            try terminal.waitFor("Check packs reloaded: 1 pack, 3 checks: archive-extra (\(folder)/archive-extra.pack.sql)")
            try terminal.waitFor("=# ")

            try terminal.send("\\check compressed-fl\t")
            try terminal.sendLine("")
            try terminal.waitFor("compressed-flag-mismatch (archive-extra, warning): ok, 0 rows")
            try terminal.waitFor("=# ")
            #expect(terminal.transcript.contains("\\check compressed-flag-mismatch"))

            try terminal.sendLine("\\fix queue-failed-inprogress --dry-run")
            try terminal.waitFor("queue-failed-inprogress: nothing to fix.")
            try terminal.waitFor("=# ")

            // Removed and reloaded: gone again.
            try FileManager.default.removeItem(atPath: folder + "/archive-extra.pack.sql")
            try terminal.sendLine("\\check --reload")
            try terminal.waitFor("Check packs reloaded: 0 packs, 0 checks.")
            try terminal.waitFor("=# ")
            try terminal.sendLine("\\fix compressed-flag-mismatch")
            try terminal.waitFor("no check named \"compressed-flag-mismatch\"")
            try terminal.waitFor("=# ")
        }
    }

    @Test("\\plugins lists the pack with kind pack, its version, its checks and its path; --no-plugins loads no pack")
    func pluginsAndNoPlugins() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Self.withExampleFolder { folder in
            let listed = CurateProcess.run(in: database, arguments: ["-X", "--plugin-dir", folder, "-c", "\\pset format unaligned", "-c", "\\plugins"])
            #expect(listed.status == 0, "\(listed)")
            let line = listed.stdout.split(separator: "\n").first { $0.hasPrefix("archive-extra|") }
            #expect(line == "archive-extra|pack|1.0|compressed-flag-mismatch queue-failed-inprogress diskfile-truncated|\(folder)/archive-extra.pack.sql",
                    "\(listed)")

            let none = CurateProcess.run(in: database, arguments: ["-X", "--no-plugins", "--plugin-dir", folder, "-c", "\\pset format unaligned", "-c", "\\plugins", "-c", "\\check --list"])
            #expect(none.status == 0, "\(none)")
            // No pack in \plugins (the --list header "check|pack|..." is \check's own table).
            #expect(!none.stdout.split(separator: "\n").contains { $0.contains("|pack|") && !$0.hasPrefix("check|pack|") }, "\(none)")
            #expect(!none.stdout.contains("archive-extra"), "\(none)")
            #expect(!none.stdout.contains("compressed-flag-mismatch"), "\(none)")
            #expect(none.stdout.contains("duplicate-canonical"))
            let refused = CurateProcess.run(in: database, arguments: ["-X", "--no-plugins", "--plugin-dir", folder, "-c", "\\check archive-extra"])
            #expect(refused.status == 3, "\(refused)")
            #expect(refused.stderr.contains("no check or pack named \"archive-extra\""))
        }
    }

    @Test("a pack check named like a built-in or another pack's check is refused with a message naming both; the built-in still runs")
    func nameClashes() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Self.withExampleFolder { folder in
            try Packs.write("""
                -- pack: site
                -- check: duplicate-canonical
                -- severity: info
                -- description: a shadow of the built-in
                SELECT 1 AS shadow
                -- check: compressed-flag-mismatch
                -- severity: info
                -- description: a copy of the example's
                SELECT 1 AS copy
                -- check: site-own
                -- severity: info
                -- description: the site's own check
                SELECT 1 WHERE false
                """, to: folder + "/site.pack.sql")
            let result = CurateProcess.run(in: database, arguments: ["-X", "--plugin-dir", folder, "-c", "\\check duplicate-canonical site-own compressed-flag-mismatch"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.contains("\(folder)/site.pack.sql:2: check duplicate-canonical of pack site refused: the name is already taken by the built-in check duplicate-canonical (pack fitsstorage); rename one of them"), "\(result)")
            #expect(result.stderr.contains("\(folder)/site.pack.sql:6: check compressed-flag-mismatch of pack site refused: the name is already taken by check compressed-flag-mismatch of pack archive-extra (\(folder)/archive-extra.pack.sql:10); rename one of them"), "\(result)")
            #expect(result.stdout.contains("duplicate-canonical (fitsstorage, error): 4 rows"))
            #expect(result.stdout.contains("site-own (site, info): ok, 0 rows"))
            #expect(result.stdout.contains("compressed-flag-mismatch (archive-extra, warning): ok, 0 rows"))
        }
    }

    @Test("a pack check only reads: one that would write is reported as failed and changes nothing")
    func checksOnlyRead() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Packs.withFolder { folder in
            try Packs.write("""
                -- check: sneaky
                -- severity: error
                -- description: deletes instead of finding
                DELETE FROM ingestqueue RETURNING id
                """, to: folder + "/sneaky.pack.sql")
            let result = CurateProcess.run(in: database, arguments: ["-X", "--plugin-dir", folder, "-c", "\\check sneaky --fail-on error"])
            #expect(result.status == 3, "\(result)")
            #expect(result.stdout.contains("sneaky (sneaky, error): FAILED to run: cannot execute DELETE in a read-only transaction"), "\(result)")
            #expect(try database.psql("SELECT count(*) FROM ingestqueue") == "14")
            // Inside the user's own transaction too, and that transaction stays usable.
            // (\check fails when a check could not run: ON_ERROR_STOP off lets the script go on.)
            let inside = CurateProcess.run(in: database, arguments: ["-X", "--plugin-dir", folder, "-v", "ON_ERROR_STOP=0"], stdin: """
                BEGIN;
                \\check sneaky
                SELECT count(*) AS still_there FROM ingestqueue;
                COMMIT;
                """)
            #expect(inside.status == 0, "\(inside)")
            #expect(inside.stdout.contains("FAILED to run: cannot execute DELETE in a read-only transaction"))
            #expect(inside.stdout.contains("14"))
            #expect(try database.psql("SELECT count(*) FROM ingestqueue") == "14")
        }
    }

    @Test("a pack's statement fix that cannot run in a transaction is refused inside one, and runs outside")
    func statementFixOutsideTransaction() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Packs.withFolder { folder in
            try Packs.write("""
                -- pack: upkeep
                -- check: file-never-analyzed
                -- severity: info
                -- description: the file table has no statistics
                -- tables: file
                SELECT relname FROM pg_stat_user_tables
                WHERE relname = 'file' AND last_analyze IS NULL AND last_autoanalyze IS NULL
                -- fix: file-never-analyzed
                -- summary: ANALYZE the file table
                -- transactional: no
                -- generate:
                SELECT 'file' AS object, 'ANALYZE file' AS statement
                """, to: folder + "/upkeep.pack.sql")
            let inside = CurateProcess.run(in: database, arguments: ["-X", "--plugin-dir", folder], stdin: "BEGIN;\n\\fix file-never-analyzed --yes --no-audit\n")
            #expect(inside.status == 3, "\(inside)")
            #expect(inside.stderr.contains("\\fix: refused: it cannot run inside a transaction block"), "\(inside)")
            let outside = CurateProcess.run(in: database, arguments: ["-X", "--plugin-dir", folder, "-c", "\\fix file-never-analyzed --yes --no-audit"])
            #expect(outside.status == 0, "\(outside)")
            #expect(outside.stdout.contains("ANALYZE file;"))
        }
    }
}
