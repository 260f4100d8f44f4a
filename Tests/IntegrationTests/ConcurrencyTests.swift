import CurateTestSupport
import Foundation
import Testing

/// Several curate processes fixing the same duplicate canonical diskfiles at once, while an ingest
/// keeps adding new versions of the same files. Afterwards: one canonical diskfile per file, every
/// change the fixes made is in the audit table, nothing waited without end, and a fix that could
/// not get its row locks said so and changed nothing.
@Suite("Concurrency: fixes racing each other and an ingest")
struct ConcurrencyTests {
    static let retryMessage = "another session holds these rows; nothing was changed; run the fix again"

    /// Files made for the test, each with three canonical and present diskfile rows (the ingest race).
    static let files = 400

    @Test("four fixers walking overlapping --where ranges and an ingest: one canonical row per file, every change audited, no process hung")
    func fixersAndIngest() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let firstFile = Int(try database.psql("SELECT max(id) + 1 FROM file"))!
        let lastFile = firstFile + Self.files - 1
        try database.psql("""
            INSERT INTO file (id, name) SELECT i, 'conc-' || i || '.fits' FROM generate_series(\(firstFile), \(lastFile)) i;
            INSERT INTO diskfile (file_id, filename, path, present, canonical, file_md5, file_size, lastmod, entrytime)
            SELECT i, 'conc-' || i || '.fits', '/data/conc', true, true, md5(i || '/' || c), 1000 + c,
                   timestamptz '2026-01-01' + c * interval '1 minute', timestamptz '2026-01-01' + c * interval '1 minute'
            FROM generate_series(\(firstFile), \(lastFile)) i CROSS JOIN generate_series(1, 3) c;
            SELECT setval(pg_get_serial_sequence('file', 'id'), \(lastFile));
            """)
        // The audit schema exists before the race (the first fix creates it), and the sample's own
        // duplicates are fixed first.
        let prepared = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix duplicate-canonical --commit --yes --where 'file_id < \(firstFile)'"])
        try #require(prepared.status == 0 && prepared.stderr.contains("Committed."), "\(prepared)")
        let preparedAudit = try database.psql("SELECT max(id) FROM curate.audit")
        // An independent record of every change of the canonical flag, by the application that made it.
        try database.psql("""
            CREATE TABLE canonical_log (diskfile_id integer, file_id integer, old_canonical boolean, new_canonical boolean, app text);
            CREATE FUNCTION log_canonical() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO canonical_log VALUES (NEW.id, NEW.file_id, OLD.canonical, NEW.canonical, current_setting('application_name'));
                RETURN NULL;
            END $$;
            CREATE TRIGGER diskfile_canonical_log AFTER UPDATE OF canonical ON diskfile FOR EACH ROW
                WHEN (OLD.canonical IS DISTINCT FROM NEW.canonical) EXECUTE FUNCTION log_canonical();
            """)
        let duplicatesBefore = try database.psql(Self.duplicateFiles)
        #expect(Int(duplicatesBefore) ?? 0 >= Self.files)

        // The ingest: a new version of every third file, newest first, each in a transaction of
        // its own (the old canonical rows stop being canonical and present, the new row is both),
        // three rounds. psql goes on after an error (a deadlock victim loses one version).
        var ingestSQL = ""
        for round in 1...3 {
            for file in stride(from: lastFile, through: firstFile, by: -3) {
                ingestSQL += """
                    BEGIN;
                    UPDATE diskfile SET canonical = false, present = false WHERE file_id = \(file) AND canonical;
                    INSERT INTO diskfile (file_id, filename, path, present, canonical, file_md5, file_size, lastmod, entrytime)
                    VALUES (\(file), 'conc-\(file).fits', '/data/conc', true, true, md5('\(file)/ingest\(round)'), 2000 + \(round), clock_timestamp(), clock_timestamp());
                    COMMIT;

                    """
            }
        }
        let ingest = try BackgroundPsql(database: database, application: "ingest", sql: ingestSQL, stopOnError: false)
        defer { ingest.stop() }
        try Self.poll("the ingest to commit its first version") {
            guard ingest.process.isRunning else { return true }
            return try database.psql("SELECT count(*) FROM canonical_log WHERE app = 'ingest'") != "0"
        }

        // Four fixers walking the files in --where ranges: two upwards in ranges of 20 files, two
        // downwards in ranges of 25, so that each pair races on the same ranges and the pairs meet
        // in the middle. One of each pair waits at most 1 ms for a lock (it is told to run again),
        // the other the default 5 s (it waits, then finds under the lock what the other one already
        // fixed). A range is run again until a run commits or finds nothing to fix (a guard of 40
        // runs fails a livelock instead of looping).
        func chunks(_ size: Int, descending: Bool) -> [ClosedRange<Int>] {
            let ranges = stride(from: firstFile, through: lastFile, by: size).map { $0...min($0 + size - 1, lastFile) }
            return descending ? ranges.reversed() : ranges
        }
        let fixers: [(ranges: [ClosedRange<Int>], lockTimeout: String?)] = [
            (chunks(20, descending: false), "1ms"),
            (chunks(20, descending: false), nil),
            (chunks(25, descending: true), "1ms"),
            (chunks(25, descending: true), nil),
        ]
        let jobs: [@Sendable () -> FixerLog] = fixers.map { fixer in
            { @Sendable in
                var log = FixerLog()
                var arguments = ["-X"]
                if let timeout = fixer.lockTimeout { arguments += ["-v", "CURATE_FIX_LOCK_TIMEOUT=\(timeout)"] }
                for range in fixer.ranges {
                    let command = "\\fix duplicate-canonical --commit --yes --where 'file_id BETWEEN \(range.lowerBound) AND \(range.upperBound)'"
                    var finished = false
                    for _ in 0..<40 {
                        let run = CurateProcess.run(in: database, arguments: arguments + ["-c", command], timeout: 600)
                        log.runs.append(run)
                        if run.timedOut { return log }
                        if run.stdout.contains("nothing to fix") || run.stderr.contains("Committed.") {
                            finished = true
                            break
                        }
                    }
                    if !finished { log.unfinished.append(range) }
                }
                return log
            }
        }
        let logs = Threads.run(jobs)
        let ingestFinished = ingest.wait(seconds: 600)
        #expect(ingestFinished, "the ingest did not finish: \(ingest.output)")

        // No process hung, and each run ended in one of three ways.
        var committed = 0
        var retried = 0
        var waitedAndFoundDone = 0
        for (index, log) in logs.enumerated() {
            #expect(log.unfinished.isEmpty, "fixer \(index) did not finish the ranges \(log.unfinished)")
            for run in log.runs {
                #expect(!run.timedOut, "fixer \(index) hung: \(run)")
                if run.status == 0 && run.stderr.contains("Committed.") {
                    committed += 1
                } else if run.status == 0 && run.stdout.contains("nothing to fix") {
                    if run.stdout.contains("repaired meanwhile") { waitedAndFoundDone += 1 }
                } else if run.status != 0 && run.stderr.contains(Self.retryMessage) {
                    retried += 1
                    #expect(!run.stderr.contains("Committed."), "\(run)")
                    #expect(run.stderr.contains("HINT:"), "the retry message comes with its hint: \(run)")
                } else {
                    Issue.record("fixer \(index) failed in an unexpected way: \(run)")
                }
            }
        }
        #expect(committed > 0, "no fixer committed anything")
        let ingested = try database.psql("SELECT count(*) FROM canonical_log WHERE app = 'ingest'")
        print("ConcurrencyTests: \(committed) fixes committed, \(retried) runs told to run again (lock_timeout or deadlock), \(waitedAndFoundDone) found under the lock that the rows were repaired meanwhile; the ingest changed \(ingested) canonical flags")

        // Exactly one canonical diskfile per file of the test, and no file anywhere with two.
        #expect(try database.psql("""
            SELECT count(*) FROM file f WHERE f.id BETWEEN \(firstFile) AND \(lastFile)
              AND (SELECT count(*) FROM diskfile d WHERE d.file_id = f.id AND d.canonical) <> 1
            """) == "0")
        #expect(try database.psql(Self.duplicateFiles) == "0")

        // Every change of the canonical flag that a curate session committed has its before and after
        // images in curate.audit_row, and the audit holds no change that did not happen.
        let comparison = try database.psql("""
            WITH logged AS (
                SELECT diskfile_id::text AS key, old_canonical, new_canonical FROM canonical_log WHERE app = 'curate'
            ), audited AS (
                SELECT r.key, (r.before ->> 'canonical')::boolean, (r.after ->> 'canonical')::boolean
                FROM curate.audit_row r JOIN curate.audit a ON a.id = r.audit_id
                WHERE a.check_name = 'duplicate-canonical' AND r.table_name = 'public.diskfile'
                  AND a.id > \(preparedAudit)
            )
            SELECT (SELECT count(*) FROM logged) || ' ' ||
                   (SELECT count(*) FROM (SELECT * FROM logged EXCEPT ALL SELECT * FROM audited) x) || ' ' ||
                   (SELECT count(*) FROM (SELECT * FROM audited EXCEPT ALL SELECT * FROM logged) y)
            """)
        let parts = comparison.split(separator: " ").map { Int($0) ?? -1 }
        #expect(parts.count == 3 && parts[0] > 0, "curate changed no canonical flag: \(comparison)")
        #expect(parts.count == 3 && parts[1] == 0, "changes not in the audit: \(comparison)")
        #expect(parts.count == 3 && parts[2] == 0, "audited changes that did not happen: \(comparison)")
        // Each audit record counts its rows, and every committed fix run has one.
        #expect(try database.psql("""
            SELECT count(*) FROM curate.audit a
            WHERE a.row_count <> (SELECT count(*) FROM curate.audit_row r WHERE r.audit_id = a.id) OR a.row_count = 0
            """) == "0")
        #expect(try database.psql("SELECT count(*) FROM curate.audit WHERE check_name = 'duplicate-canonical'") == String(committed + 1))
        // Every row the fixes changed is now neither canonical nor present (unless the ingest changed it since: it never sets them back).
        #expect(try database.psql("""
            SELECT count(*) FROM curate.audit_row r JOIN diskfile d ON d.id::text = r.key WHERE d.canonical
            """) == "0")
    }

    @Test("a fix that waits longer than CURATE_FIX_LOCK_TIMEOUT for a row lock says to run it again and changes nothing")
    func lockTimeoutMessage() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        // The audit schema first, so the failed fix's absence from it is visible.
        let prepared = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix queue-stuck --yes --commit"])
        try #require(prepared.status == 0, "\(prepared)")
        let state = "SELECT string_agg(id || ':' || present || '/' || canonical, ',' ORDER BY id) FROM diskfile WHERE file_id IN (7, 107)"
        let before = try database.psql(state)
        let auditBefore = try database.psql("SELECT count(*) || '/' || (SELECT count(*) FROM curate.audit_row) FROM curate.audit")

        // Another session holds one duplicate's rows (an open transaction, idle).
        let holder = try Self.holdRows(ofFile: 107, in: database)
        defer { holder.stop() }

        // Autocommit with --commit: the fix's own transaction is rolled back.
        let run = CurateProcess.run(
            in: database,
            arguments: ["-X", "-v", "CURATE_FIX_LOCK_TIMEOUT=200ms", "-c", "\\fix duplicate-canonical --commit --yes"],
            timeout: 600)
        #expect(!run.timedOut, "\(run)")
        #expect(run.status != 0, "\(run)")
        #expect(run.stderr.contains(Self.retryMessage), "\(run)")
        #expect(run.stderr.contains("CURATE_FIX_LOCK_TIMEOUT=200ms"), "the hint names the wait: \(run)")
        #expect(run.stderr.contains("lock timeout"), "the hint gives the server's reason: \(run)")
        #expect(!run.stderr.contains("Committed."), "\(run)")
        #expect(try database.psql(state) == before)
        #expect(try database.psql("SELECT count(*) || '/' || (SELECT count(*) FROM curate.audit_row) FROM curate.audit") == auditBefore)

        // Inside the user's transaction: only the fix's savepoint is rolled back; the transaction
        // goes on, with the lock_timeout it had, and the user's own change before the fix stays.
        let script = """
            BEGIN;
            UPDATE diskfile SET file_size = 1 WHERE file_id = 1;
            SET LOCAL lock_timeout = '7s';
            \\fix duplicate-canonical --yes
            SELECT 'after: ' || current_setting('lock_timeout') || ' ' || (SELECT count(*) FROM diskfile WHERE file_id = 1 AND file_size = 1);
            COMMIT;
            """
        let inTransaction = CurateProcess.run(
            in: database,
            arguments: ["-X", "-v", "ON_ERROR_STOP=0", "-v", "CURATE_FIX_LOCK_TIMEOUT=200ms", "-f", "-"],
            stdin: script, timeout: 600)
        #expect(!inTransaction.timedOut, "\(inTransaction)")
        #expect(inTransaction.stderr.contains(Self.retryMessage), "\(inTransaction)")
        #expect(inTransaction.stdout.contains("after: 7s 1"), "\(inTransaction)")
        #expect(inTransaction.stdout.contains("COMMIT"), "\(inTransaction)")
        #expect(try database.psql(state) == before)
        #expect(try database.psql("SELECT count(*) || '/' || (SELECT count(*) FROM curate.audit_row) FROM curate.audit") == auditBefore)

        // Once the other session is gone, the same fix runs.
        holder.stop()
        let again = CurateProcess.run(
            in: database,
            arguments: ["-X", "-v", "CURATE_FIX_LOCK_TIMEOUT=200ms", "-c", "\\fix duplicate-canonical --commit --yes"],
            timeout: 600)
        #expect(again.status == 0 && again.stderr.contains("Committed."), "\(again)")
        #expect(try database.psql(Self.duplicateFiles) == "0")
    }

    @Test("an undo that waits longer than CURATE_FIX_LOCK_TIMEOUT for the fixed rows says to run it again and changes nothing")
    func undoLockTimeoutMessage() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let fixed = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix duplicate-canonical --commit --yes"])
        try #require(fixed.status == 0, "\(fixed)")
        let auditID = try database.psql("SELECT max(id) FROM curate.audit")
        let state = "SELECT string_agg(id || ':' || present || '/' || canonical, ',' ORDER BY id) FROM diskfile WHERE file_id IN (7, 107)"
        let before = try database.psql(state)
        let auditBefore = try database.psql("SELECT count(*) || '/' || (SELECT count(*) FROM curate.audit_row) FROM curate.audit")

        let holder = try Self.holdRows(ofFile: 107, in: database)
        defer { holder.stop() }

        let undo = CurateProcess.run(
            in: database,
            arguments: ["-X", "-v", "CURATE_FIX_LOCK_TIMEOUT=200ms", "-c", "\\fix undo \(auditID) --commit --yes"],
            timeout: 600)
        #expect(!undo.timedOut, "\(undo)")
        #expect(undo.status != 0, "\(undo)")
        #expect(undo.stderr.contains("another session holds these rows; nothing was changed; run the undo again"), "\(undo)")
        #expect(undo.stderr.contains("CURATE_FIX_LOCK_TIMEOUT=200ms"), "\(undo)")
        #expect(try database.psql(state) == before)
        #expect(try database.psql("SELECT count(*) || '/' || (SELECT count(*) FROM curate.audit_row) FROM curate.audit") == auditBefore)

        holder.stop()
        let again = CurateProcess.run(
            in: database, arguments: ["-X", "-v", "CURATE_FIX_LOCK_TIMEOUT=200ms", "-c", "\\fix undo \(auditID) --commit --yes"], timeout: 600)
        #expect(again.status == 0, "\(again)")
        #expect(try database.psql(state) != before, "the undo restored the rows once the other session was gone")
    }

    /// Another session that locks a file's diskfile rows and keeps its transaction open, idle.
    fileprivate static func holdRows(ofFile fileID: Int, in database: TestDatabase) throws -> BackgroundPsql {
        let holder = try BackgroundPsql(
            database: database, application: "holder",
            sql: "BEGIN;\nSELECT count(*) FROM (SELECT 1 FROM diskfile WHERE file_id = \(fileID) FOR UPDATE) s;\nSELECT pg_sleep(3600);\n",
            stopOnError: true)
        do {
            try poll("the holder to lock the rows") {
                guard holder.process.isRunning else {
                    Issue.record("the holder ended: \(holder.output)")
                    throw CancellationError()
                }
                return try database.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'holder' AND wait_event = 'PgSleep'") == "1"
            }
        } catch {
            holder.stop()
            throw error
        }
        return holder
    }

    static let duplicateFiles =
        "SELECT count(*) FROM (SELECT file_id FROM diskfile WHERE canonical GROUP BY file_id HAVING count(*) > 1) s"

    /// Polls `condition` every 50 ms; fails after 10 minutes (a guard against hanging, not a speed limit).
    static func poll(_ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(600)
        while try !condition() {
            if Date() > deadline {
                Issue.record("gave up waiting for \(what)")
                throw CancellationError()
            }
            usleep(50_000)
        }
    }
}

/// The curate runs of one fixer.
fileprivate struct FixerLog: Sendable {
    var runs: [CurateResult] = []
    /// --where ranges that still had duplicates after 40 runs.
    var unfinished: [ClosedRange<Int>] = []
}

/// Runs blocking jobs at the same time, each on a thread of its own (not the cooperative pool,
/// which has as many threads as cores), and returns their results in order.
fileprivate enum Threads {
    private final class Box<T: Sendable>: @unchecked Sendable {
        let lock = NSLock()
        var values: [Int: T] = [:]
    }

    static func run<T: Sendable>(_ jobs: [@Sendable () -> T]) -> [T] {
        let box = Box<T>()
        let group = DispatchGroup()
        for (index, job) in jobs.enumerated() {
            group.enter()
            let thread = Thread {
                let value = job()
                box.lock.withLock { box.values[index] = value }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        return box.lock.withLock { (0..<jobs.count).map { box.values[$0]! } }
    }
}

/// psql running a script in the background (application_name set), its output kept in a file.
fileprivate final class BackgroundPsql: @unchecked Sendable {
    let process = Process()
    let database: TestDatabase
    let application: String
    let folder: URL

    init(database: TestDatabase, application: String, sql: String, stopOnError: Bool) throws {
        self.database = database
        self.application = application
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-bg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = folder.appendingPathComponent("script.sql")
        try Data(sql.utf8).write(to: script)
        _ = FileManager.default.createFile(atPath: folder.appendingPathComponent("output").path, contents: nil)
        let output = try FileHandle(forWritingTo: folder.appendingPathComponent("output"))
        process.executableURL = URL(fileURLWithPath: TestServer.psqlPath)
        process.arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=\(stopOnError ? 1 : 0)", "-f", script.path] + database.connectionArguments
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["PGAPPNAME"] = application
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try output.close()
    }

    var output: String {
        (try? String(contentsOf: folder.appendingPathComponent("output"), encoding: .utf8)) ?? ""
    }

    /// Waits for psql to end on its own; false when it was still running after `seconds`.
    func wait(seconds: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            if Date() > deadline { return false }
            usleep(20_000)
        }
        return true
    }

    /// Ends its server session (and with it psql) and waits for psql to exit. Safe to call twice.
    func stop() {
        if process.isRunning {
            _ = try? database.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(application)' AND datname = current_database()")
            if !wait(seconds: 60) { process.terminate() }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }
}
