import CurateTestSupport
import Foundation
import Testing

/// Starts one private PostgreSQL cluster for the suite it marks and stops it when the suite is
/// done, whether its tests passed, failed or threw; the tests find it in `PrivateServer.current`.
struct PrivateServerScope: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try PrivateServer.start()
        defer { server.shutdown() }
        try await PrivateServer.$current.withValue(server) {
            try await function()
        }
    }
}

extension Trait where Self == PrivateServerScope {
    /// A private PostgreSQL cluster for the suite (see `PrivateServerScope`).
    static var privateServer: Self { Self() }
}

/// The server stopped with `pg_ctl stop -m immediate` in the middle of each kind of work: every
/// session dies at once, as in a crash. curate must say so clearly, report an open transaction as
/// lost (never committed), leave no audit record, backup or restore that looks good, reconnect
/// at the next command once the server is back, and never re-run anything on its own.
///
/// The server is the suite's own (stopping the shared one would break the tests running beside
/// these); the tests take turns on it.
@Suite("Server faults: the server stopped mid-work", .serialized, .privateServer)
struct ServerFaultTests {
    static let canonicalState =
        "SELECT string_agg(id || ':' || present || '/' || canonical, ',' ORDER BY id) FROM diskfile WHERE file_id IN (7, 107)"

    /// The suite's server, started again when an earlier test left it stopped.
    func server() throws -> PrivateServer {
        let server = try #require(PrivateServer.current, "the suite's private server was not started")
        try server.ensureRunning()
        return server
    }

    /// curate at a terminal in `database`, at its first prompt.
    func terminal(_ database: TestDatabase, _ extra: [String] = []) throws -> PTYSession {
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"] + extra, cols: 200, defaultTimeout: 60)
        try terminal.waitFor("=# ")
        return terminal
    }

    @Test("a long query: reported lost, nothing replayed; while the server is down a command says so; then the next command reconnects")
    func longQuery() throws {
        let server = try server()
        let database = try server.createDatabase()
        defer {
            try? server.ensureRunning()
            database.drop()
        }
        try database.psql("CREATE TABLE fault_probe (note text)")
        let terminal = try terminal(database)
        defer { terminal.terminate() }

        try terminal.sendLine("INSERT INTO fault_probe SELECT 'written by the interrupted statement' FROM pg_sleep(600);")
        try Poll.until("the INSERT to be running", detail: terminal.transcript) {
            try database.backends(of: "curate", waitingOn: "PgSleep") == 1
        }
        try server.stopImmediately()
        let report = try terminal.waitFor("!?# ")
        #expect(report.contains("the connection to the server was lost"), "\(report)")
        #expect(report.contains("terminating connection due to immediate shutdown"), "\(report)")
        // In autocommit nothing else was open: no transaction is reported lost.
        #expect(!report.contains("transaction"), "\(report)")

        try terminal.sendLine("SELECT 'typed while the server was down' AS attempt;")
        let down = try terminal.waitFor("!?# ")
        #expect(down.contains("not connected, and reconnecting failed"), "\(down)")
        #expect(!down.contains("(1 row)"), "\(down)")

        try server.start()
        try terminal.sendLine("SELECT count(*) AS probe_rows FROM fault_probe;")
        let next = try terminal.waitFor("=# ")
        #expect(next.contains("reconnected to database \"\(database.name)\""), "\(next)")
        #expect(next.contains("probe_rows"), "the command after the reconnection runs: \(next)")
        #expect(try database.psql("SELECT count(*) FROM fault_probe") == "0", "the interrupted INSERT was not re-run")
        #expect(!terminal.transcript.contains("INSERT 0 1"), "\(terminal.transcript)")
    }

    @Test("an open transaction between statements: COMMIT afterwards reports it lost and commits nothing; nothing is replayed")
    func openTransaction() throws {
        let server = try server()
        let database = try server.createDatabase()
        defer {
            try? server.ensureRunning()
            database.drop()
        }
        try database.psql("CREATE TABLE fault_probe (note text)")
        let terminal = try terminal(database)
        defer { terminal.terminate() }

        try terminal.sendLine("BEGIN;")
        try terminal.waitFor("=*# ")
        try terminal.sendLine("INSERT INTO fault_probe VALUES ('inside the lost transaction');")
        try terminal.waitFor("INSERT 0 1")
        try terminal.waitFor("=*# ")
        // The server goes away and comes back while curate waits at the prompt.
        try server.stopImmediately()
        try server.start()

        try terminal.sendLine("COMMIT;")
        let commit = try terminal.waitFor("# ")
        #expect(commit.contains("nothing of it was committed"), "\(commit)")
        #expect(!commit.contains("\nCOMMIT\n"), "COMMIT must not be reported: \(commit)")
        #expect(!commit.contains("no transaction in progress"), "COMMIT must not be re-run on a new connection: \(commit)")
        try terminal.sendLine("SELECT count(*) AS probe_rows FROM fault_probe;")
        try terminal.waitFor("(1 row)")
        try terminal.waitFor("=# ")
        #expect(terminal.transcript.contains("reconnected to database \"\(database.name)\""), "\(terminal.transcript)")
        #expect(try database.psql("SELECT count(*) FROM fault_probe") == "0")
    }

    @Test("a fix blocked mid-way (its audit record written, its changes waiting on a lock): reported lost, no audit record, data unchanged")
    func fixInterrupted() throws {
        let server = try server()
        let database = try server.createDatabase()
        defer {
            try? server.ensureRunning()
            database.drop()
        }
        // The audit schema exists (a committed fix made it), so the fix writes its record at once.
        let setup = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix queue-stuck --yes --commit"])
        try #require(setup.status == 0, "\(setup)")
        let before = try database.psql(Self.canonicalState)
        let auditBefore = try database.psql("SELECT count(*) FROM curate.audit")
        // Another session holds audit_row: the fix locks its rows, writes its audit record, and
        // then waits to record the before and after images.
        let holder = try LockHolder(database: database, statements: ["LOCK TABLE curate.audit_row IN SHARE MODE"])
        defer { holder.close() }
        let terminal = try terminal(database)
        defer { terminal.terminate() }

        try terminal.sendLine("\\fix duplicate-canonical --yes --commit")
        try Poll.until("the fix to wait for the lock", detail: terminal.transcript) {
            try database.backends(of: "curate", waitingOn: "Lock") == 1
        }
        // Its audit record is written, uncommitted.
        #expect(try database.psql("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.application_name = 'curate' AND a.datname = current_database() AND l.relation = 'curate.audit'::regclass AND l.mode = 'RowExclusiveLock'") == "1")
        try server.stopImmediately()
        let report = try terminal.waitFor("!?# ")
        #expect(report.contains("the connection to the server was lost"), "\(report)")
        #expect(report.contains("nothing of it was committed"), "\(report)")
        #expect(!report.contains("Committed."), "\(report)")
        holder.close()

        try server.start()
        #expect(try database.psql(Self.canonicalState) == before)
        #expect(try database.psql("SELECT count(*) FROM curate.audit") == auditBefore)
        #expect(try database.psql("SELECT count(*) FROM curate.audit WHERE check_name = 'duplicate-canonical'") == "0")
        #expect(try database.psql("SELECT count(*) FROM curate.audit_row r LEFT JOIN curate.audit a ON a.id = r.audit_id WHERE a.id IS NULL OR a.check_name = 'duplicate-canonical'") == "0")

        // The next command reconnects. It was typed after a transaction was lost, so it is
        // refused (never run outside the transaction it may have been meant for); the one
        // after it runs.
        try terminal.sendLine("\\fix history")
        let refused = try terminal.waitFor("=# ")
        #expect(refused.contains("reconnected to database \"\(database.name)\""), "\(refused)")
        #expect(refused.contains("This command was not run"), "\(refused)")
        try terminal.sendLine("\\fix history")
        let history = try terminal.waitFor("=# ")
        #expect(history.contains("queue-stuck"), "\(history)")
        #expect(!history.contains("duplicate-canonical"), "\(history)")
    }

    @Test("a backup while pg_dump runs: the backup fails, no file with the backup's name, no manifest, no partial file")
    func backupInterrupted() throws {
        let server = try server()
        let database = try server.createDatabase()
        defer {
            try? server.ensureRunning()
            database.drop()
        }
        let folder = try FaultFiles.temporaryFolder("backup")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // pg_dump waits for the table this session holds.
        let holder = try LockHolder(database: database, statements: ["LOCK TABLE diskfile IN ACCESS EXCLUSIVE MODE"])
        defer { holder.close() }
        let terminal = try terminal(database)
        defer { terminal.terminate() }

        try terminal.sendLine("\\backup --dir \(folder)")
        try Poll.until("pg_dump to wait for the lock", detail: terminal.transcript) {
            try database.backends(of: "curate pg_dump", waitingOn: "Lock") == 1
        }
        try server.stopImmediately()
        let report = try terminal.waitFor("# ")
        #expect(report.contains("backup failed: pg_dump exited with status 1"), "\(report)")
        #expect(report.contains("nothing that looks like a backup was left"), "\(report)")
        #expect(!report.contains("verified"), "\(report)")
        #expect(!report.contains("Error("), "errors read as messages: \(report)")
        holder.close()

        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(FaultFiles.finishedBackups(names).isEmpty, "\(names)")
        #expect(!names.contains { $0.hasSuffix(".manifest") }, "\(names)")
        #expect(!names.contains { $0.hasSuffix(".partial") }, "\(names)")
        // Only the note that records the failure (it keeps prune from deleting older backups).
        #expect(names.count == 1 && names[0].hasSuffix(".pg_dump_c.failed"), "\(names)")

        try server.start()
        try terminal.sendLine("SELECT 'after the failed backup' AS next_command;")
        let next = try terminal.waitFor("=# ")
        #expect(next.contains("reconnected to database \"\(database.name)\""), "\(next)")
        #expect(next.contains("(1 row)"), "\(next)")
        let list = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\backup list --dir \(folder)"])
        #expect(list.status == 0, "\(list)")
        #expect(list.stdout.contains("FAILED (backup)"), "\(list)")
        #expect(!list.stdout.contains("verified"), "\(list)")
    }

    @Test("a restore while pg_restore runs: reported failed, with pg_restore's reason; the next command reconnects")
    func restoreInterrupted() throws {
        let server = try server()
        let database = try server.createDatabase()
        let target = try server.createDatabase()
        defer {
            try? server.ensureRunning()
            target.drop()
            database.drop()
        }
        let folder = try FaultFiles.temporaryFolder("restore")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let backup = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\backup --dir \(folder)"])
        try #require(backup.status == 0, "\(backup)")
        let file = try #require(FaultFiles.finishedBackups(try FileManager.default.contentsOfDirectory(atPath: folder)).first)
        // pg_restore --clean must drop diskfile in the target first: this session holds it.
        let holder = try LockHolder(database: target, statements: ["LOCK TABLE diskfile IN ACCESS SHARE MODE"])
        defer { holder.close() }
        let terminal = try terminal(database)
        defer { terminal.terminate() }

        try terminal.sendLine("\\restore \(folder)/\(file) --into \(target.name) --clean --yes")
        try Poll.until("pg_restore to wait for the lock", detail: terminal.transcript) {
            try target.backends(of: "curate pg_restore", waitingOn: "Lock") == 1
        }
        try server.stopImmediately()
        let report = try terminal.waitFor("# ")
        #expect(report.contains("restore into \(target.name) finished with"), "\(report)")
        #expect(report.contains("may be incomplete"), "\(report)")
        #expect(report.contains("immediate shutdown") || report.contains("server closed the connection"), "\(report)")
        // Every entry after the loss fails alike: shown once, then counted.
        #expect(report.components(separatedBy: "no connection to the server").count - 1 <= 1, "\(report)")
        holder.close()

        try server.start()
        try terminal.sendLine("SELECT 'after the failed restore' AS next_command;")
        let next = try terminal.waitFor("=# ")
        #expect(next.contains("reconnected to database \"\(database.name)\""), "\(next)")
        #expect(next.contains("(1 row)"), "\(next)")
    }

    @Test("in a script: a transaction cut off by the server's stop ends the script with status 2, even with ON_ERROR_STOP=0; nothing after it runs")
    func scriptStops() throws {
        let server = try server()
        let database = try server.createDatabase()
        defer {
            try? server.ensureRunning()
            database.drop()
        }
        try database.psql("CREATE TABLE fault_probe (note text)")
        let run = BackgroundRun {
            CurateProcess.run(in: database, arguments: ["-X", "-v", "ON_ERROR_STOP=0"], stdin: """
                BEGIN;
                INSERT INTO fault_probe VALUES ('first half');
                SELECT pg_sleep(600);
                INSERT INTO fault_probe VALUES ('second half');
                COMMIT;
                """)
        }
        try Poll.until("the script to be running") { try database.backends(of: "curate", waitingOn: "PgSleep") == 1 }
        try server.stopImmediately()
        let result = run.wait()
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("the connection to the server was lost"), "\(result)")
        #expect(result.stderr.contains("nothing of it was committed"), "\(result)")
        #expect(!result.stdout.contains("COMMIT"), "\(result)")
        try server.start()
        #expect(try database.psql("SELECT count(*) FROM fault_probe") == "0")
    }
}

/// A curate run on another thread, waited for later.
final class BackgroundRun: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: CurateResult?

    init(_ body: @escaping @Sendable () -> CurateResult) {
        Thread { [self] in
            result = body()
            done.signal()
        }.start()
    }

    /// The result, once the run has ended (CurateProcess's own watchdog bounds the wait).
    func wait() -> CurateResult {
        done.wait()
        done.signal()
        return result!
    }
}

/// Backup folders for the fault tests.
enum FaultFiles {
    /// A new folder under the temporary folder.
    static func temporaryFolder(_ purpose: String) throws -> String {
        let path = NSTemporaryDirectory() + "curate-fault-\(purpose)-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Names that a finished backup would have: `DB.TIMESTAMP.pg_dump_c` (not hidden, not a note).
    static func finishedBackups(_ names: [String]) -> [String] {
        names.filter { !$0.hasPrefix(".") && ($0.hasSuffix(".pg_dump_c") || $0.hasSuffix(".pg_dump_p.gz") || $0.hasSuffix(".pg_dump_d")) }
            .sorted()
    }
}
