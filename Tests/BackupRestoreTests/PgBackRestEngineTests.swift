import CurateTestSupport
import Foundation
import Testing

/// Starts one archived cluster with its pgBackRest repository for the suite it marks.
struct PgBackRestClusterScope: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let cluster = try PgBackRestCluster.start()
        defer { cluster.shutdown() }
        try await PgBackRestCluster.$current.withValue(cluster) {
            try await function()
        }
    }
}

extension Trait where Self == PgBackRestClusterScope {
    /// A private cluster archiving its WAL to a private pgBackRest repository.
    static var pgbackrestCluster: Self { Self() }
}

/// The tests of both pgBackRest suites run curate with the cluster's pgBackRest environment.
func curateWithPgBackRest(_ cluster: PgBackRestCluster, _ database: TestDatabase, _ commands: [String],
                          environment: [String: String] = [:]) -> CurateResult {
    CurateProcess.run(in: database, arguments: ["-X"] + commands.flatMap { ["-c", $0] },
                      environment: cluster.environment.merging(environment) { _, new in new }, timeout: 300)
}

/// `\backup --engine pgbackrest` against a real pgBackRest repository. pgBackRest 2.45 (Debian
/// 12's) supports PostgreSQL up to 15: under a newer server (CURATE_TEST_PGBIN naming 18) the
/// suite is skipped, and says why.
@Suite("pgBackRest backup engine", .serialized, .enabled(if: PgBackRestCluster.isUsable,
       Comment(rawValue: PgBackRestCluster.skipReason)), .pgbackrestCluster)
struct PgBackRestEngineTests {
    func cluster() throws -> PgBackRestCluster {
        try #require(PgBackRestCluster.current, "the suite's archived cluster was not started")
    }

    @Test("a full then an incremental backup; \\backup list shows both from pgBackRest's JSON, the incremental on its full")
    func fullThenIncremental() throws {
        let cluster = try cluster()
        let db = try cluster.server.createDatabase()
        let full = curateWithPgBackRest(cluster, db, ["\\backup --engine pgbackrest --create-stanza --type full"])
        #expect(full.status == 0, "\(full)")
        #expect(full.stdout.contains("pgbackrest check: stanza curate is configured and WAL archiving works"), "\(full)")
        #expect(full.stdout.contains("backup: pgBackRest full "), "\(full)")
        _ = try db.psql("CREATE TABLE grown AS SELECT g FROM generate_series(1, 1000) g")
        // The engine from the configuration default.
        let incremental = curateWithPgBackRest(cluster, db, ["\\set BACKUP_ENGINE pgbackrest", "\\backup --type incr"])
        #expect(incremental.status == 0, "\(incremental)")
        #expect(incremental.stdout.contains("backup: pgBackRest incr "), "\(incremental)")

        let sets = try cluster.backupSets()
        let fullLabel = try #require(sets.last(where: { $0.type == "full" })?.label)
        let incrLabel = try #require(sets.last(where: { $0.type == "incr" })?.label)
        #expect(incrLabel.hasPrefix(fullLabel + "_"))

        let list = curateWithPgBackRest(cluster, db, ["\\pset format unaligned", "\\backup list --engine pgbackrest"])
        #expect(list.status == 0, "\(list)")
        let lines = list.stdout.split(separator: "\n").map(String.init)
        let fullLine = try #require(lines.first { $0.hasPrefix(fullLabel + "|") }, "\(list)")
        let incrLine = try #require(lines.first { $0.hasPrefix(incrLabel + "|") }, "\(list)")
        #expect(fullLine.contains("|full|"))
        #expect(incrLine.contains("|incr|"))
        #expect(incrLine.hasSuffix("kept: incr on full \(fullLabel), which is kept"))
        #expect(fullLine.hasSuffix("kept: the newest full backup"))
        #expect(list.stdout.contains("WAL archive "))
    }

    @Test("\\backup verify --engine pgbackrest: every set OK; a damaged repository file fails it")
    func verify() throws {
        let cluster = try cluster()
        let db = try cluster.server.createDatabase()
        let taken = curateWithPgBackRest(cluster, db, ["\\backup --engine pgbackrest --create-stanza --type full"])
        try #require(taken.status == 0, "\(taken)")
        let good = curateWithPgBackRest(cluster, db, ["\\backup verify --engine pgbackrest"])
        #expect(good.status == 0, "\(good)")
        #expect(good.stdout.contains("OK (every file matches its checksum)"), "\(good)")
        #expect(good.stdout.contains("backup set") && good.stdout.contains("and the WAL archive OK"), "\(good)")

        // Flip the bytes of one file of the newest backup set (its PG_VERSION, compressed).
        let label = try #require(try cluster.backupSets().last?.label)
        let file = cluster.folder + "/repo/backup/\(cluster.stanza)/\(label)/pg_data/PG_VERSION.gz"
        let original = try #require(FileManager.default.contents(atPath: file))
        try Data("not gzip at all".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? original.write(to: URL(fileURLWithPath: file)) }
        let bad = curateWithPgBackRest(cluster, db, ["\\backup verify --engine pgbackrest"])
        #expect(bad.status != 0, "\(bad)")
        #expect(bad.stderr.contains("stanza curate FAILED verification"), "\(bad)")
    }

    @Test("\\backup prune --engine pgbackrest: a reason per backup set; the old full and its incremental expire, the newest full stays")
    func pruneWithReasons() throws {
        let cluster = try cluster()
        let db = try cluster.server.createDatabase()
        for type in ["full", "incr", "full"] {
            let result = curateWithPgBackRest(cluster, db, ["\\backup --engine pgbackrest --create-stanza --type \(type)"])
            try #require(result.status == 0, "\(result)")
        }
        let sets = try cluster.backupSets()
        let newestFull = try #require(sets.last?.label)
        let oldIncr = try #require(sets.last(where: { $0.type == "incr" })?.label)
        let oldFull = String(oldIncr.prefix { $0 != "_" })
        let policy = "--keep-daily 0 --keep-weekly 0 --keep-monthly 0"

        let dryRun = curateWithPgBackRest(cluster, db, ["\\backup prune --engine pgbackrest \(policy) --dry-run"])
        #expect(dryRun.status == 0, "\(dryRun)")
        let lines = dryRun.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix(newestFull + " ") && $0.contains("keep") && $0.hasSuffix("the newest full backup") }, "\(dryRun)")
        #expect(lines.contains { $0.hasPrefix(oldFull + " ") && $0.contains("would delete") && $0.hasSuffix("older than the 0 months kept") }, "\(dryRun)")
        #expect(lines.contains { $0.hasPrefix(oldIncr + " ") && $0.contains("would delete") && $0.hasSuffix("incr on full \(oldFull), which goes") }, "\(dryRun)")
        #expect(try cluster.backupSets().count == sets.count, "a dry run deletes nothing")

        let refused = curateWithPgBackRest(cluster, db, ["\\backup prune --engine pgbackrest \(policy)"])
        #expect(refused.status != 0 && refused.stderr.contains("pass --yes to confirm in a script"), "\(refused)")

        let pruned = curateWithPgBackRest(cluster, db, ["\\backup prune --engine pgbackrest \(policy) --yes"])
        #expect(pruned.status == 0, "\(pruned)")
        #expect(pruned.stdout.contains("(pgbackrest expire)"), "\(pruned)")
        let left = try cluster.backupSets().map(\.label)
        #expect(left == [newestFull], "left: \(left)")
    }

    @Test("broken WAL archiving: \\backup check stops with a clear message, and a backup fails without leaving a set")
    func brokenArchiving() throws {
        let cluster = try cluster()
        let db = try cluster.server.createDatabase()
        _ = try db.psql("ALTER SYSTEM SET archive_command = 'false'; SELECT pg_reload_conf();")
        defer { _ = try? db.psql("ALTER SYSTEM SET archive_command = '\(cluster.archiveCommand)'; SELECT pg_reload_conf();") }
        let check = curateWithPgBackRest(cluster, db, ["\\backup check --engine pgbackrest --create-stanza --archive-timeout 2"])
        #expect(check.status != 0, "\(check)")
        #expect(check.stderr.contains("WAL archiving to stanza curate does not work: pgbackrest check failed"), "\(check)")

        // A backup waits for its last WAL segment to be archived: it fails, and lists no new set.
        let before = try cluster.backupSets().count
        let backup = curateWithPgBackRest(cluster, db, ["\\backup --engine pgbackrest --type full --archive-timeout 2"])
        #expect(backup.status != 0, "\(backup)")
        #expect(backup.stderr.contains("pgbackrest backup failed"), "\(backup)")
        #expect(try cluster.backupSets().count == before)
    }

    @Test("no pgbackrest on PATH, an unknown stanza, or another engine's option: a clear message, nothing run")
    func missingOrMisconfigured() throws {
        let cluster = try cluster()
        let db = try cluster.server.createDatabase()
        let missing = curateWithPgBackRest(cluster, db, ["\\backup --engine pgbackrest"], environment: ["PATH": "/nonexistent"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("pgbackrest not found on PATH"), "\(missing)")
        #expect(missing.stderr.contains("install the Debian package pgbackrest"), "\(missing)")

        let unknown = curateWithPgBackRest(cluster, db, ["\\backup list --engine pgbackrest --stanza nosuch"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("stanza nosuch does not exist in the pgBackRest repository"), "\(unknown)")

        // One engine's options are refused with the other, never ignored.
        let dumpOption = curateWithPgBackRest(cluster, db, ["\\backup --engine pgbackrest --format directory"])
        #expect(dumpOption.status != 0 && dumpOption.stderr.contains("--format is for pg_dump backups, not --engine pgbackrest"), "\(dumpOption)")
        let pgbackrestOption = curateWithPgBackRest(cluster, db, ["\\backup --stanza curate"])
        #expect(pgbackrestOption.status != 0 && pgbackrestOption.stderr.contains("--stanza is for --engine pgbackrest, not pg_dump backups"), "\(pgbackrestOption)")
    }
}
