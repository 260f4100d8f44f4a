import CurateTestSupport
import Foundation
import Testing

/// The network between curate and the server fails: a loopback proxy (`TCPProxy`) in front of
/// the test server cuts every connection through it, in the middle of a result or of a
/// transaction. curate must report it, never report a lost transaction as committed, never re-run
/// what was cut off, and reconnect through the same address for the next command.
///
/// Only the connections through the proxy are cut, so these tests use the shared test server.
/// They connect with a libpq connection string carrying the keepalive and timeout settings
/// docs/reliability.md describes, so that form is exercised too.
@Suite("Connection cut: the network fails between curate and the server")
struct ConnectionCutTests {
    /// A proxy in front of the test server (its Unix socket, or its TCP address).
    static func proxy() throws -> TCPProxy {
        let server = try TestServer.fromEnvironment()
        if server.host.hasPrefix("/") {
            return try TCPProxy(upstream: .unixSocket("\(server.host)/.s.PGSQL.\(server.port)"))
        }
        return try TCPProxy(upstream: .tcp(host: server.host, port: Int(server.port) ?? 5432))
    }

    /// curate's `-d` through the proxy, with libpq's optional timeout and keepalive settings.
    static func connection(to database: TestDatabase, through proxy: TCPProxy) -> [String] {
        ["-d", "host=127.0.0.1 port=\(proxy.port) user=\(database.user) dbname=\(database.name) "
            + "connect_timeout=10 keepalives=1 keepalives_idle=30 keepalives_interval=10 keepalives_count=3 tcp_user_timeout=30000"]
    }

    /// A result far longer than what is let through before the cut (about 200 MB).
    static let longResult = "SELECT g, repeat('x', 200) AS filler FROM generate_series(1, 1000000) g"

    @Test("mid-result: a long streamed SELECT cut off is reported, not re-run; the next statement reconnects and runs")
    func midResult() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try database.psql("CREATE TABLE fault_probe (note text)")
        let proxy = try Self.proxy()
        defer { proxy.close() }
        proxy.dropAll(afterServerBytes: 1 << 20)
        // The statement also inserts a row: were it re-run to its end, the row would be there.
        let result = CurateProcess.run(arguments: Self.connection(to: database, through: proxy) + ["-X", "-v", "ON_ERROR_STOP=0"], stdin: """
            WITH probe AS (INSERT INTO fault_probe VALUES ('written by the cut statement') RETURNING 1)
            \(Self.longResult);
            SELECT 'after the cut' AS next_statement, count(*) AS probe_rows FROM fault_probe;
            """)
        #expect(proxy.dropped >= 1, "the proxy cut the connection")
        #expect(result.stdout.contains("filler"), "the result had started: \(result.stderr)")
        #expect(!result.stdout.contains("(1000000 rows)"), "the result was cut off")
        #expect(result.stderr.contains("the connection to the server was lost"), "\(result)")
        #expect(result.stderr.contains("reconnected to database \"\(database.name)\""), "\(result.stderr)")
        #expect(result.stdout.contains("after the cut"), "the next statement ran: \(result.stderr)")
        #expect(proxy.accepted == 2, "one reconnection, nothing more")
        #expect(try database.psql("SELECT count(*) FROM fault_probe") == "0", "the cut statement was not re-run")
    }

    @Test("mid-transaction at the terminal: COMMIT after the cut reports the transaction lost and commits nothing")
    func midTransaction() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try database.psql("CREATE TABLE fault_probe (note text)")
        let proxy = try Self.proxy()
        defer { proxy.close() }
        let terminal = try PTYSession(arguments: Self.connection(to: database, through: proxy) + ["-X"], cols: 200, defaultTimeout: 60)
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("BEGIN;")
        try terminal.waitFor("=*# ")
        try terminal.sendLine("INSERT INTO fault_probe VALUES ('inside the cut transaction');")
        try terminal.waitFor("INSERT 0 1")
        try terminal.waitFor("=*# ")
        #expect(proxy.dropAll() == 1)
        // The server notices at once (its session was waiting for the next statement) and
        // rolls the transaction back.
        try Poll.until("the server to end the cut session") { try database.backends(of: "curate") == 0 }

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

    @Test("cut while COMMIT is answered: the outcome is reported unknown (never \"nothing committed\"); the data shows it committed; the next command runs")
    func cutDuringCommit() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try database.psql("CREATE TABLE fault_probe (note text)")
        let proxy = try Self.proxy()
        defer { proxy.close() }
        // ON_ERROR_ROLLBACK off: otherwise a SAVEPOINT goes before the COMMIT, and its answer
        // would be the one lost.
        let terminal = try PTYSession(
            arguments: Self.connection(to: database, through: proxy) + ["-X", "-v", "ON_ERROR_ROLLBACK=off"], cols: 200, defaultTimeout: 60)
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("BEGIN;")
        try terminal.waitFor("=*# ")
        try terminal.sendLine("INSERT INTO fault_probe VALUES ('committed, but curate never hears it');")
        try terminal.waitFor("INSERT 0 1")
        try terminal.waitFor("=*# ")
        // The server gets COMMIT and commits; its answer is lost, then the connection.
        proxy.withholdsServerBytes = true
        try terminal.sendLine("COMMIT;")
        try Poll.until("the server to commit", detail: terminal.transcript) {
            try database.psql("SELECT count(*) FROM fault_probe") == "1"
        }
        proxy.withholdsServerBytes = false
        #expect(proxy.dropAll() == 1)

        let commit = try terminal.waitFor("# ")
        #expect(commit.contains("the connection to the server was lost"), "\(commit)")
        #expect(commit.contains("whether it was committed is not known"), "\(commit)")
        #expect(!commit.contains("nothing of it was committed"), "that would be false here: \(commit)")
        #expect(!commit.contains("\nCOMMIT\n"), "\(commit)")
        // COMMIT ended the transaction either way: the next command is not refused.
        try terminal.sendLine("SELECT count(*) AS probe_rows FROM fault_probe;")
        let next = try terminal.waitFor("=# ")
        #expect(next.contains("reconnected to database \"\(database.name)\""), "\(next)")
        #expect(next.contains("(1 row)"), "\(next)")
        #expect(!next.contains("This command was not run"), "\(next)")
    }

    @Test("mid-transaction in a script: the script stops with status 2, even with ON_ERROR_STOP=0, so nothing after it runs without its transaction")
    func midTransactionScript() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try database.psql("CREATE TABLE fault_probe (note text)")
        let proxy = try Self.proxy()
        defer { proxy.close() }
        proxy.dropAll(afterServerBytes: 1 << 20)
        let result = CurateProcess.run(arguments: Self.connection(to: database, through: proxy) + ["-X", "-v", "ON_ERROR_STOP=0"], stdin: """
            BEGIN;
            INSERT INTO fault_probe VALUES ('first part');
            \(Self.longResult);
            INSERT INTO fault_probe VALUES ('second part');
            INSERT INTO fault_probe VALUES ('third part');
            COMMIT;
            """)
        #expect(proxy.dropped >= 1, "the proxy cut the connection")
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("the connection to the server was lost"), "\(result.stderr)")
        #expect(result.stderr.contains("nothing of it was committed"), "\(result.stderr)")
        #expect(!result.stdout.contains("COMMIT"), "\(result.stderr)")
        #expect(proxy.accepted == 1, "no reconnection: the script ended")
        #expect(try database.psql("SELECT count(*) FROM fault_probe") == "0")
    }

    @Test("the server ends an idle session (pg_terminate_backend): its reason is shown, and the next command reconnects and runs")
    func sessionEndedWhileIdle() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"], cols: 200, defaultTimeout: 60)
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try database.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'curate'")
        try Poll.until("the session to end") { try database.backends(of: "curate") == 0 }

        try terminal.sendLine("SELECT 'on the new connection' AS next_command;")
        let next = try terminal.waitFor("=# ")
        #expect(next.contains("terminating connection due to administrator command"), "the server's reason: \(next)")
        #expect(next.contains("the connection to the server was lost"), "\(next)")
        #expect(next.contains("reconnected to database \"\(database.name)\""), "\(next)")
        #expect(next.contains("(1 row)"), "the command ran: \(next)")
        #expect(!next.contains("transaction"), "no transaction was open: \(next)")
    }

    @Test("a server that accepts but never answers: connect_timeout ends the wait with a clear message")
    func connectTimeout() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let proxy = try Self.proxy()
        defer { proxy.close() }
        proxy.stalled = true
        let result = CurateProcess.run(arguments: [
            "-X", "-d", "host=127.0.0.1 port=\(proxy.port) user=\(database.user) dbname=\(database.name) connect_timeout=2",
            "-c", "SELECT 'never' AS reached",
        ])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("timeout expired"), "\(result)")
        #expect(!result.stdout.contains("never"), "\(result)")
        #expect(proxy.accepted == 1)
    }
}
