import CurateChecks
import CurateTestSupport
import Foundation
import Testing

/// Starts one primary and a streaming hot standby of it for the suite it marks, and stops both
/// when the suite is done; the tests find them in `StandbyPair.current`.
struct StandbyPairScope: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let pair = try StandbyPair.start()
        defer { pair.shutdown() }
        try await StandbyPair.$current.withValue(pair) {
            try await function()
        }
    }
}

extension Trait where Self == StandbyPairScope {
    /// A private primary and hot standby for the suite (see `StandbyPairScope`).
    static var standbyPair: Self { Self() }
}

/// `\check --on standby` on a real streaming hot standby (made with `pg_basebackup -R`) and
/// `\fix --from-standby`, which re-checks the standby's findings on the primary before it writes.
/// The tests take turns: some pause the standby's replay to make it lag.
@Suite("Checks on a hot standby", .serialized, .standbyPair)
struct StandbyCheckTests {
    func pair() throws -> StandbyPair {
        try #require(StandbyPair.current, "the suite's primary and standby were not started")
    }

    /// A new database on the primary, replayed on the standby.
    func database(_ pair: StandbyPair) throws -> TestDatabase {
        let database = try pair.primary.createDatabase()
        try pair.waitForReplay()
        return database
    }

    func curate(_ database: TestDatabase, _ pair: StandbyPair, _ arguments: [String], stdin: String? = nil) -> CurateResult {
        CurateProcess.run(in: database, arguments: ["-X", "-v", "CURATE_STANDBY=\(pair.standbyConnectionString)"] + arguments, stdin: stdin)
    }

    /// The `checks` of a `--format json` document, each without its elapsed time.
    func checks(_ json: [String: Any]) -> [String] {
        ((json["checks"] as? [[String: Any]]) ?? []).map { check in
            var check = check
            check["elapsed_ms"] = nil
            let data = (try? JSONSerialization.data(withJSONObject: check, options: [.sortedKeys])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }

    func document(_ result: CurateResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)")
    }

    @Test("after catch-up the standby finds what the primary finds, and states the lag its findings are based on")
    func sameFindingsAfterCatchUp() throws {
        let pair = try pair()
        let database = try database(pair)
        defer { database.drop() }
        // A change on the primary: a finding fewer (a stuck queue entry cleared) and one more (an orphan file).
        try database.psql("UPDATE ingestqueue SET inprogress = false WHERE id = 1; INSERT INTO file (id, name) VALUES (100001, 'standby-orphan.fits')")
        try pair.waitForReplay()
        // The queue checks compare with a fixed time, so that both runs compute the same ages.
        let now = ["-v", "CURATE_CHECK_NOW=2026-01-01 00:00:00"]
        let onPrimary = curate(database, pair, now + ["-c", "\\check fitsstorage --format json --no-record"])
        #expect(onPrimary.status == 0, "\(onPrimary)")
        let onStandby = curate(database, pair, now + ["-c", "\\check fitsstorage --on standby --format json --no-record"])
        #expect(onStandby.status == 0, "\(onStandby)")
        let primaryDocument = try document(onPrimary)
        let standbyDocument = try document(onStandby)
        #expect(primaryDocument["standby"] == nil)
        let standby = try #require(standbyDocument["standby"] as? [String: Any], "\(onStandby)")
        let lag = try #require(standby["lag_bytes"] as? Int, "\(standby)")
        #expect(lag >= 0)
        #expect(standby["caught_up"] as? Bool == (lag == 0), "\(standby)")
        #expect(standby["replay_paused"] as? Bool == false, "\(standby)")
        #expect((standby["server"] as? String)?.hasSuffix(":\(pair.standby.port)") == true, "\(standby)")
        #expect((standby["summary"] as? String)?.hasPrefix("replay ") == true, "\(standby)")
        let primaryChecks = checks(primaryDocument)
        #expect(primaryChecks.count == 8)
        #expect(checks(standbyDocument) == primaryChecks)
        #expect(primaryChecks.contains { $0.contains("standby-orphan.fits") })

        // The text output states the lag above the findings; the run is recorded on the primary.
        let text = curate(database, pair, ["-c", "\\check orphan-file --on standby"])
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.hasPrefix("On standby \(pair.standby.socketDirectory):\(pair.standby.port): replay "), "\(text)")
        #expect(text.stdout.contains("orphan-file (fitsstorage, info): 3 rows"), "\(text)")
        #expect(try database.psql("SELECT string_agg(check_name || ' ' || finding_count, ',') FROM curate.check_result") == "orphan-file 3")
    }

    @Test("a lagging standby (replay paused): its findings are the older data's, and every format says how far behind")
    func lagInEveryFormat() throws {
        let pair = try pair()
        let database = try database(pair)
        defer {
            try? pair.resumeReplay()
            database.drop()
        }
        try pair.pauseReplay()
        try database.psql("UPDATE ingestqueue SET inprogress = false WHERE id = 1")
        let onPrimary = curate(database, pair, ["-c", "\\check queue-stuck --format json --no-record"])
        #expect(onPrimary.status == 0, "\(onPrimary)")
        let primaryCount = try #require((try document(onPrimary)["checks"] as? [[String: Any]])?.first?["count"] as? Int)

        let json = curate(database, pair, ["-c", "\\check queue-stuck --on standby --format json --no-record"])
        #expect(json.status == 0, "\(json)")
        let document = try document(json)
        let standby = try #require(document["standby"] as? [String: Any], "\(json)")
        let lag = try #require(standby["lag_bytes"] as? Int, "\(standby)")
        #expect(lag > 0, "\(standby)")
        #expect(standby["caught_up"] as? Bool == false, "\(standby)")
        #expect(standby["replay_paused"] as? Bool == true, "\(standby)")
        // The standby still has the entry the primary cleared.
        let standbyCount = try #require((document["checks"] as? [[String: Any]])?.first?["count"] as? Int)
        #expect(standbyCount == primaryCount + 1, "\(json)")

        let table = curate(database, pair, ["-c", "\\check queue-stuck --on standby --no-record"])
        let firstLine = table.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(firstLine.hasPrefix("On standby ") && firstLine.contains(" bytes of WAL behind the primary (at ")
                && firstLine.hasSuffix("; replay is paused."), "\(table)")

        let nagios = curate(database, pair, ["-c", "\\check queue-stuck --on standby --no-record --format nagios"])
        #expect(nagios.status == 1, "\(nagios)")
        #expect(nagios.stdout.contains("bytes of WAL behind, replay paused)"), "\(nagios)")
        let nagiosLag = nagios.stdout.components(separatedBy: "standby_lag_bytes=").last?.prefix { $0.isNumber }
        #expect(Int(nagiosLag.map(String.init) ?? "") ?? 0 > 0, "\(nagios)")

        let metrics = curate(database, pair, ["-c", "\\check queue-stuck --on standby --no-record --format prometheus"])
        #expect(metrics.status == 0, "\(metrics)")
        let labels = "{database=\"\(database.name)\",standby=\"\(pair.standby.socketDirectory):\(pair.standby.port)\"}"
        let lagLine = metrics.stdout.split(separator: "\n").first { $0.hasPrefix("curate_check_standby_lag_bytes\(labels) ") }
        #expect(Int(lagLine?.split(separator: " ").last ?? "") ?? 0 > 0, "\(metrics)")
        #expect(metrics.stdout.contains("curate_check_standby_replay_paused\(labels) 1\n"), "\(metrics)")
        #expect(metrics.stdout.hasSuffix("# EOF\n"), "\(metrics)")

        let csv = curate(database, pair, ["-c", "\\check queue-stuck --on standby --no-record --format csv"])
        #expect(csv.status == 0, "\(csv)")
        let csvLines = csv.stdout.split(separator: "\n")
        #expect(csvLines.first?.hasSuffix(",standby_lag_bytes,standby_last_replayed_commit") == true, "\(csv)")
        // Every line ends with this run's lag (more than 0 bytes) and the last replayed commit's time.
        #expect(csvLines.count > 1 && csvLines.dropFirst().allSatisfy { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            return fields.count > 2 && (Int(fields[fields.count - 2]) ?? 0) > 0 && fields[fields.count - 1].hasPrefix("20")
        }, "\(csv)")
    }

    @Test("a check whose answer on a standby would be wrong is refused when named, skipped in a pack")
    func primaryOnlyCheckRefused() throws {
        let pair = try pair()
        let database = try database(pair)
        defer { database.drop() }
        let named = curate(database, pair, ["-c", "\\check sequence-behind --on standby --no-record"])
        #expect(named.status != 0, "\(named)")
        #expect(named.stdout.isEmpty, "\(named)")
        #expect(named.stderr.contains("sequence-behind does not run on a standby: a standby shows each sequence up to 32 values ahead"), "\(named)")
        let pack = curate(database, pair, ["-c", "\\check postgres --on standby --no-record"])
        #expect(pack.status == 0, "\(pack)")
        #expect(pack.stdout.contains("sequence-behind (postgres, error): skipped: not on a standby: "), "\(pack)")
        #expect(pack.stdout.contains("collation-drift (postgres, warning): skipped: not on a standby: "), "\(pack)")
        #expect(pack.stdout.contains("invalid-index (postgres, error): ok, 0 rows"), "\(pack)")
    }

    @Test("a pack file's check marked -- primary-only: refused on the standby when named, skipped in its pack, run on the primary")
    func packPrimaryOnly() throws {
        let pack = """
            -- pack: standby-rules
            -- version: 1

            -- check: wal-position
            -- severity: info
            -- description: the primary's WAL position (a standby cannot give it)
            -- primary-only: pg_current_wal_lsn() fails on a standby
            -- no-fix: nothing to repair
            SELECT pg_catalog.pg_current_wal_lsn()::text AS lsn WHERE false;

            -- check: any-file
            -- severity: info
            -- description: every file (a standby can run this)
            -- tables: file
            -- no-fix: nothing to repair
            SELECT id FROM file WHERE id = 1;
            """
        let parsed = try PackFile.parse(pack, path: "/packs/standby-rules.pack.sql")
        #expect(parsed.pack.checks.map(\.primaryOnly) == ["pg_current_wal_lsn() fails on a standby", nil])
        let empty = Packs.errors(pack.replacingOccurrences(of: "-- primary-only: pg_current_wal_lsn() fails on a standby", with: "-- primary-only:"))
        #expect(empty.map(\.description) == ["/packs/test.pack.sql:7: -- primary-only: needs the reason (why the check's answer on a standby would be wrong)"])

        let pair = try pair()
        let database = try database(pair)
        defer { database.drop() }
        try Packs.withFolder { folder in
            try Packs.write(pack, to: folder + "/standby-rules.pack.sql")
            let named = curate(database, pair, ["--plugin-dir", folder, "-c", "\\check wal-position --on standby --no-record"])
            #expect(named.status != 0, "\(named)")
            #expect(named.stderr.contains("wal-position does not run on a standby: pg_current_wal_lsn() fails on a standby"), "\(named)")
            let inPack = curate(database, pair, ["--plugin-dir", folder, "-c", "\\check standby-rules --on standby --no-record"])
            #expect(inPack.status == 0, "\(inPack)")
            #expect(inPack.stdout.contains("wal-position (standby-rules, info): skipped: not on a standby: pg_current_wal_lsn() fails on a standby"), "\(inPack)")
            #expect(inPack.stdout.contains("any-file (standby-rules, info): 1 row"), "\(inPack)")
            let onPrimary = curate(database, pair, ["--plugin-dir", folder, "-c", "\\check wal-position --no-record"])
            #expect(onPrimary.status == 0, "\(onPrimary)")
            #expect(onPrimary.stdout.contains("wal-position (standby-rules, info): ok, 0 rows"), "\(onPrimary)")
        }
    }

    @Test("a server that is not in recovery is refused as the standby; so is a session that is itself on a standby")
    func notAStandbyRefused() throws {
        let pair = try pair()
        let database = try database(pair)
        defer { database.drop() }
        let primaryAsStandby = CurateProcess.run(in: database, arguments: [
            "-X", "-v", "CURATE_STANDBY=host=\(pair.primary.socketDirectory) port=\(pair.primary.port)",
            "-c", "\\check orphan-file --on standby --no-record"])
        #expect(primaryAsStandby.status != 0, "\(primaryAsStandby)")
        #expect(primaryAsStandby.stdout.isEmpty, "\(primaryAsStandby)")
        #expect(primaryAsStandby.stderr.contains("is not a standby: pg_is_in_recovery() is false there"), "\(primaryAsStandby)")

        let onStandby = CurateProcess.run(arguments: [
            "-X", "-h", pair.standby.socketDirectory, "-p", pair.standby.port, "-U", "postgres", "-d", database.name,
            "-v", "CURATE_STANDBY=\(pair.standbyConnectionString)", "-c", "\\check orphan-file --on standby --no-record"])
        #expect(onStandby.status != 0, "\(onStandby)")
        #expect(onStandby.stderr.contains("this session is itself connected to a standby"), "\(onStandby)")
    }

    @Test("an unreachable standby: a clear message, nothing checked, and the shell goes on")
    func unreachableStandby() throws {
        let pair = try pair()
        let database = try database(pair)
        defer { database.drop() }
        let missing = "/tmp/curate-no-standby-\(getpid())"
        let result = CurateProcess.run(in: database, arguments: ["-X", "-v", "ON_ERROR_STOP=0", "-v", "CURATE_STANDBY=host=\(missing) port=5433"], stdin: """
            \\check orphan-file --on standby --no-record
            SELECT 'still ' || 'here' AS shell;
            \\check orphan-file --no-record
            """)
        #expect(result.stderr.contains("cannot connect to the standby CURATE_STANDBY names: connection to server on socket \"\(missing)/.s.PGSQL.5433\" failed"), "\(result)")
        #expect(result.stderr.contains("nothing was checked"), "\(result)")
        #expect(!result.stdout.contains("On standby"), "\(result)")
        #expect(result.stdout.contains("still here"), "\(result)")
        #expect(result.stdout.contains("orphan-file (fitsstorage, info): 2 rows"), "\(result)")

        let unset = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check orphan-file --on standby"])
        #expect(unset.status != 0, "\(unset)")
        #expect(unset.stderr.contains("no standby named: CURATE_STANDBY is not set"), "\(unset)")
    }

    @Test("\\fix --from-standby re-checks the standby's rows on the primary and writes there")
    func fixRechecksOnPrimary() throws {
        let pair = try pair()
        let database = try database(pair)
        defer { database.drop() }
        let stuck = try database.psql("SELECT string_agg(id::text, ',' ORDER BY id) FROM ingestqueue WHERE inprogress AND added < LOCALTIMESTAMP - interval '6 hours'")
        #expect(!stuck.isEmpty)
        let result = curate(database, pair, [], stdin: """
            \\check queue-stuck --on standby --no-record
            \\fix queue-stuck --from-standby --commit --yes
            """)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("queue-stuck: re-checking on the primary the \(stuck.split(separator: ",").count) findings of the standby run (replay "), "\(result)")
        #expect(result.stdout.contains("\(stuck.split(separator: ",").count) rows changed:"), "\(result)")
        // Written on the primary, audited there; the standby gets it by replay.
        #expect(try database.psql("SELECT count(*) FROM ingestqueue WHERE inprogress AND id IN (\(stuck))") == "0")
        #expect(try database.psql("SELECT count(*) || ' ' || sum(row_count) FROM curate.audit WHERE check_name = 'queue-stuck'") == "1 \(stuck.split(separator: ",").count)")
        try pair.waitForReplay()
        let standbyView = try TestDatabase(name: database.name, server: pair.standby.server)
            .psql("SELECT count(*) FROM ingestqueue WHERE inprogress AND id IN (\(stuck))")
        #expect(standbyView == "0")
    }

    @Test("\\fix --from-standby writes nothing when the primary no longer has the standby's findings, and says so")
    func fixWritesNothingWhenGoneOnPrimary() throws {
        let pair = try pair()
        let database = try database(pair)
        defer {
            try? pair.resumeReplay()
            database.drop()
        }
        try pair.pauseReplay()
        // Repaired on the primary after the standby's replay stopped: the standby still finds them.
        try database.psql("UPDATE ingestqueue SET inprogress = false WHERE inprogress")
        let result = curate(database, pair, [], stdin: """
            \\check queue-stuck --on standby --no-record
            \\fix queue-stuck --from-standby --commit --yes
            """)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("bytes of WAL behind the primary"), "\(result)")
        #expect(result.stdout.contains("queue-stuck (fitsstorage, warning): 8 rows"), "\(result)")
        #expect(result.stdout.contains("queue-stuck: none of the standby's findings is one on the primary any more: nothing was written."), "\(result)")
        #expect(!result.stdout.contains("rows changed"), "\(result)")
        // Nothing written: not even the audit schema.
        #expect(try database.psql("SELECT pg_catalog.to_regclass('curate.audit') IS NULL") == "t")
    }

    @Test("fixes never go to a standby: a session connected to one is refused before anything is tried; --from-standby needs a standby run in the same database")
    func fixRefusedOnStandbySession() throws {
        let pair = try pair()
        let database = try database(pair)
        defer { database.drop() }
        let result = CurateProcess.run(arguments: [
            "-X", "-h", pair.standby.socketDirectory, "-p", pair.standby.port, "-U", "postgres", "-d", database.name,
            "-c", "\\fix queue-stuck --commit --yes"])
        #expect(result.status != 0, "\(result)")
        #expect(result.stderr.contains("this session is connected to a standby (in recovery): fixes go to the primary; nothing was written"), "\(result)")
        let withoutRun = curate(database, pair, ["-c", "\\fix queue-stuck --from-standby --commit --yes"])
        #expect(withoutRun.status != 0, "\(withoutRun)")
        #expect(withoutRun.stderr.contains("--from-standby: queue-stuck has not run on a standby in this session"), "\(withoutRun)")

        // The standby's findings belong to the database they were found in.
        let other = try pair.primary.createDatabase()
        defer { other.drop() }
        try pair.waitForReplay()
        let elsewhere = curate(database, pair, [], stdin: """
            \\check queue-stuck --on standby --no-record
            \\connect \(other.name)
            \\fix queue-stuck --from-standby --commit --yes
            """)
        #expect(elsewhere.status != 0, "\(elsewhere)")
        #expect(elsewhere.stderr.contains("--from-standby: the standby run of queue-stuck was in database \(database.name), this session is in \(other.name)"), "\(elsewhere)")
        #expect(try other.psql("SELECT pg_catalog.to_regclass('curate.audit') IS NULL") == "t")
    }
}
