import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A PostgreSQL cluster of a test suite's own, for tests that stop, kill or restart the server
/// (the shared one scripts/test starts serves every other test at the same time).
///
/// It is made with scripts/pgserver.sh (initdb as the `postgres` user when the tests run as
/// root, trust authentication, fsync off) in a new folder under /tmp, and listens on a Unix
/// socket in a socket folder of its own that stays the same across restarts, so that a client
/// reconnecting with the same `-h` finds the restarted server. `curate_template` is loaded
/// with the sample schema and seed, as on the shared server.
///
///     let server = try PrivateServer.start()
///     defer { server.shutdown() }
///     let db = try server.createDatabase()
///     try server.stopImmediately()   // pg_ctl stop -m immediate: every session dies at once
///     try server.start()             // crash recovery, then the same socket again
///
/// `shutdown()` stops the server and removes its folders; a server still running when the
/// test process exits normally is stopped then too.
public final class PrivateServer: @unchecked Sendable {
    /// The folder pgserver.sh works in (data in `directory/data`, the server log in `directory/log`).
    public let directory: String
    /// The folder holding the server's Unix socket (the same after every restart).
    public let socketDirectory: String
    /// The port number naming the socket file.
    public let port: String
    /// The server, for psql and curate: `-h socketDirectory -p port -U postgres`.
    public let server: TestServer

    /// The suite's private server, set for the tests a scoping trait runs (see the fault tests).
    @TaskLocal public static var current: PrivateServer?

    private let lock = NSLock()
    private var running = false
    private var removed = false

    /// Server options added to every start (`-c name=value ...`), e.g. WAL archiving.
    public let extraOptions: String

    init(directory: String, socketDirectory: String, port: String, extraOptions: String = "") {
        self.extraOptions = extraOptions
        self.directory = directory
        self.socketDirectory = socketDirectory
        self.port = port
        self.server = TestServer(host: socketDirectory, port: port, user: "postgres")
    }

    /// Makes and starts a new cluster and loads `curate_template` (the sample schema and seed
    /// at `seedSize` files). Throws, with the server's own words, when any step fails; what was
    /// made is removed again then.
    public static func start(seedSize: Int = 200, options: String = "") throws -> PrivateServer {
        let directory = try makeTemporaryFolder("curate-private")
        let socketDirectory: String
        do {
            socketDirectory = try makeTemporaryFolder("curate-sock")
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        let server = PrivateServer(directory: directory, socketDirectory: socketDirectory, port: "5432", extraOptions: options)
        Registry.shared.add(server)
        do {
            if getuid() == 0 {
                // PostgreSQL runs as the postgres user: it must own the folders it writes to.
                try shell("chown postgres: \"$1\" \"$2\" && chmod 700 \"$1\" \"$2\"", [directory, socketDirectory])
            }
            try server.start()
            try server.loadTemplate(seedSize: seedSize)
        } catch {
            server.shutdown()
            throw error
        }
        return server
    }

    /// Starts the server (again): after `stopImmediately()` PostgreSQL first recovers from the
    /// crash. Waits until it accepts connections.
    ///
    /// Unlike the shared server, commits are synchronous: an immediate stop must not lose a
    /// transaction that was reported committed (the tests check what survives one). fsync stays
    /// off: the operating system, which keeps what was written, does not crash here.
    public func start() throws {
        try Self.shell(
            ". \"$1/scripts/pgserver.sh\" && pgserver_start \"$2\" >/dev/null",
            [CurateBinary.packageRoot.path, directory],
            environment: Self.serverPrograms.merging(
                ["PGSERVER_PORT": port, "PGSERVER_OPTS": "-k \(socketDirectory) -c synchronous_commit=on \(extraOptions)"]) { _, new in new })
        lock.withLock { running = true }
    }

    /// True between `start()` and a stop.
    public var isRunning: Bool { lock.withLock { running } }

    /// Starts the server when it is stopped (a test that failed half-way may have left it so).
    public func ensureRunning() throws {
        if !isRunning { try start() }
    }

    /// `pg_ctl stop -m immediate`: the postmaster ends every session at once, without a
    /// checkpoint (a crash, as far as clients and the data are concerned).
    public func stopImmediately() throws {
        try Self.shell(
            ". \"$1/scripts/pgserver.sh\" && pgserver__as_owner \"$(pgserver_bindir)/pg_ctl\" -D \"$2/data\" -m immediate -w -t 60 stop >/dev/null",
            [CurateBinary.packageRoot.path, directory], environment: Self.serverPrograms)
        lock.withLock { running = false }
    }

    /// Stops the server (fast, else immediate) and removes its folders. Never throws; safe to
    /// call twice.
    public func shutdown() {
        let alreadyRemoved = lock.withLock { () -> Bool in
            defer { removed = true }
            return removed
        }
        guard !alreadyRemoved else { return }
        do {
            try Self.shell(". \"$1/scripts/pgserver.sh\" && pgserver_stop \"$2\"", [CurateBinary.packageRoot.path, directory], environment: Self.serverPrograms)
        } catch {
            FileHandle.standardError.write(Data("warning: could not stop the private server in \(directory): \(error)\n".utf8))
        }
        lock.withLock { running = false }
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.removeItem(atPath: socketDirectory)
        Registry.shared.remove(self)
    }

    /// A new database copied from `curate_template`, named `curate_fault_<pid>_<random>`.
    public func createDatabase(from template: String = "curate_template") throws -> TestDatabase {
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let name = "curate_fault_\(getpid())_\(suffix)"
        _ = try server.psql(
            "CREATE DATABASE \(TestDatabase.quoteIdentifier(name)) TEMPLATE \(TestDatabase.quoteIdentifier(template));",
            database: "postgres")
        return TestDatabase(name: name, server: server)
    }

    /// The end of the server log (for a failing test's message).
    public var logTail: String {
        let text = (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(30).joined(separator: "\n")
    }

    private func loadTemplate(seedSize: Int) throws {
        let root = CurateBinary.packageRoot.path
        _ = try server.psql("SET client_min_messages = warning; CREATE DATABASE curate_template;", database: "postgres")
        for (file, variables) in [("fitsstorage-schema.sql", [String]()), ("fitsstorage-seed.sql", ["-v", "size=\(seedSize)"])] {
            let output = Subprocess.run(
                executable: TestServer.psqlPath,
                arguments: ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socketDirectory, "-p", port, "-U", "postgres",
                            "-d", "curate_template"] + variables + ["-f", "\(root)/Sample/\(file)"],
                environment: Subprocess.baseEnvironment().merging(["PGOPTIONS": "-c client_min_messages=warning"]) { _, new in new },
                stdin: nil, combine: true, timeout: 300)
            guard output.status == 0, !output.timedOut else {
                throw TestSupportError.psqlFailed(sql: "\\i Sample/\(file)", status: output.status,
                                                  output: String(decoding: output.stdout, as: UTF8.self))
            }
        }
    }

    // MARK: Helpers

    /// Runs a bash script (`$1`, `$2`... are `arguments`); throws with its output when it fails.
    /// The server programs of the suite's PostgreSQL version (CURATE_TEST_PGBIN, when it holds
    /// a server) for pgserver.sh, so a private server runs the version the suite tests.
    static var serverPrograms: [String: String] {
        guard let bin = ProcessInfo.processInfo.environment["CURATE_TEST_PGBIN"], !bin.isEmpty,
              FileManager.default.isExecutableFile(atPath: bin + "/initdb") else { return [:] }
        return ["PG_BINDIR": bin]
    }

    static func shell(_ script: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let output = Subprocess.run(
            executable: "/bin/bash",
            arguments: ["-c", script, "bash"] + arguments,
            environment: Subprocess.baseEnvironment().merging(environment) { _, new in new },
            stdin: nil, combine: true, timeout: 180)
        guard output.status == 0, !output.timedOut else {
            throw TestSupportError.spawnFailed(
                "PrivateServer: `\(script)` (\(arguments.joined(separator: " "))) failed with status \(output.status):\n"
                    + String(decoding: output.stdout, as: UTF8.self))
        }
    }

    /// A new private folder /tmp/NAME.XXXXXX (short: it may hold a Unix socket).
    static func makeTemporaryFolder(_ name: String) throws -> String {
        var template = Array("/tmp/\(name).XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw TestSupportError.spawnFailed("mkdtemp /tmp/\(name).XXXXXX: \(Subprocess.errnoText())")
        }
        return String(cString: made)
    }

    /// The servers still running, stopped when the test process exits (a safety net for a run
    /// that ends without the suite's own cleanup).
    final class Registry: @unchecked Sendable {
        static let shared = Registry()
        private let lock = NSLock()
        private var servers: [ObjectIdentifier: PrivateServer] = [:]
        private var installed = false

        func add(_ server: PrivateServer) {
            lock.withLock {
                servers[ObjectIdentifier(server)] = server
                if !installed {
                    installed = true
                    atexit { Registry.shared.shutdownAll() }
                }
            }
        }

        func remove(_ server: PrivateServer) {
            _ = lock.withLock { servers.removeValue(forKey: ObjectIdentifier(server)) }
        }

        func shutdownAll() {
            let remaining = lock.withLock { Array(servers.values) }
            for server in remaining { server.shutdown() }
        }
    }
}

/// Waiting for something another process does (a backend starting to wait on a lock, a
/// session ending), by asking again every 50 ms.
public enum Poll {
    /// A wait that reached its safety-net timeout.
    public struct TimedOut: Error, CustomStringConvertible {
        public let what: String
        public let seconds: Double
        public let detail: String
        public var description: String {
            "timed out after \(Int(seconds)) s waiting for \(what)" + (detail.isEmpty ? "" : "\n\(detail)")
        }
    }

    /// Returns as soon as `condition` holds. `timeout` is only a safety net against a hang (the
    /// condition is expected within a second or two); `detail` is added to the error then.
    public static func until(
        _ what: String, timeout: TimeInterval = 60, detail: @autoclosure () -> String = "", _ condition: () throws -> Bool
    ) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if try condition() { return }
            if Date() >= deadline { throw TimedOut(what: what, seconds: timeout, detail: detail()) }
            usleep(50_000)
        }
    }
}

extension TestDatabase {
    /// How many backends of `application` (pg_stat_activity's `application_name`) in this
    /// database wait on `waitEvent` (a `wait_event_type` such as `Lock`, or a `wait_event`
    /// such as `PgSleep`).
    public func backends(of application: String, waitingOn waitEvent: String) throws -> Int {
        Int(try server.psql("""
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = '\(name)' AND application_name = '\(application)'
              AND (wait_event_type = '\(waitEvent)' OR wait_event = '\(waitEvent)')
            """, database: "postgres")) ?? 0
    }

    /// How many backends of `application` are connected to this database.
    public func backends(of application: String) throws -> Int {
        Int(try server.psql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = '\(name)' AND application_name = '\(application)'",
            database: "postgres")) ?? 0
    }
}

/// A psql session in a pseudo-terminal that opens a transaction and takes locks, so that
/// another program (a fix, pg_dump, pg_restore) blocks behind them for as long as a test needs.
///
///     let holder = try LockHolder(database: db, statements: ["LOCK TABLE diskfile IN ACCESS EXCLUSIVE MODE"])
///     defer { holder.close() }
///     ... the other program now waits ...
///     try holder.release()   // ROLLBACK
public final class LockHolder {
    private let terminal: PTYSession
    private var marker = 0

    /// Starts psql in `database` (application_name `curate-test-lock`), runs BEGIN and each
    /// statement, and returns once they all ran.
    public init(database: TestDatabase, statements: [String]) throws {
        terminal = try PTYSession(
            arguments: ["-X", "-v", "ON_ERROR_STOP=1", "-h", database.host, "-p", database.port, "-U", database.user,
                        "-d", database.name],
            environment: ["PGAPPNAME": "curate-test-lock", "PAGER": "cat"],
            executable: URL(fileURLWithPath: TestServer.psqlPath),
            defaultTimeout: 60)
        try run(["BEGIN"] + statements)
    }

    /// Runs statements in the open transaction and waits until they are done.
    public func run(_ statements: [String]) throws {
        for statement in statements { try terminal.sendLine(statement + ";") }
        marker += 1
        // Split in the query so that the terminal's echo of the line does not match.
        try terminal.sendLine("SELECT 'lock-holder' || ' step \(marker)' AS done;")
        try terminal.waitFor("lock-holder step \(marker)\n")
        if terminal.transcript.contains("ERROR:") {
            throw TestSupportError.spawnFailed("LockHolder: a statement failed:\n" + terminal.transcript)
        }
    }

    /// Ends the transaction (ROLLBACK), letting the blocked program go on.
    public func release() throws {
        try terminal.sendLine("ROLLBACK;")
        marker += 1
        try terminal.sendLine("SELECT 'lock-holder' || ' step \(marker)' AS done;")
        try terminal.waitFor("lock-holder step \(marker)\n")
    }

    /// Everything psql printed (for a failing test's message).
    public var transcript: String { terminal.transcript }

    /// Ends psql (its transaction, if still open, is rolled back by the server).
    public func close() {
        terminal.terminate()
    }

    deinit { terminal.terminate() }
}
