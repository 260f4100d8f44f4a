import Foundation

/// The throwaway server scripts/test started (or the one CURATE_TEST_HOST
/// points at): CURATE_TEST_HOST (socket folder or host name),
/// CURATE_TEST_PORT (default 5432), CURATE_TEST_USER (default postgres).
public struct TestServer: Sendable {
    public let host: String
    public let port: String
    public let user: String

    public static let notConfiguredMessage =
        "CURATE_TEST_HOST is not set: run the tests through scripts/test "
        + "(it starts a throwaway PostgreSQL server and loads the curate_template database)"

    /// True when the environment names a test server.
    public static var isConfigured: Bool {
        !(ProcessInfo.processInfo.environment["CURATE_TEST_HOST"] ?? "").isEmpty
    }

    /// The server from the environment; throws (with a message saying to run
    /// scripts/test) when it is not set.
    public static func fromEnvironment() throws -> TestServer {
        let env = ProcessInfo.processInfo.environment
        guard let host = env["CURATE_TEST_HOST"], !host.isEmpty else {
            FileHandle.standardError.write(Data("error: \(notConfiguredMessage)\n".utf8))
            throw TestSupportError.notConfigured(notConfiguredMessage)
        }
        let port = env["CURATE_TEST_PORT"].flatMap { $0.isEmpty ? nil : $0 } ?? "5432"
        let user = env["CURATE_TEST_USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "postgres"
        return TestServer(host: host, port: port, user: user)
    }

    /// The psql to use: CURATE_TEST_PSQL, else CURATE_TEST_PGBIN/psql, else psql on PATH.
    public static var psqlPath: String {
        let env = ProcessInfo.processInfo.environment
        if let psql = env["CURATE_TEST_PSQL"], !psql.isEmpty { return psql }
        if let bin = env["CURATE_TEST_PGBIN"], !bin.isEmpty,
            FileManager.default.isExecutableFile(atPath: "\(bin)/psql")
        {
            return "\(bin)/psql"
        }
        return Subprocess.which("psql") ?? "/usr/bin/psql"
    }

    /// The psql of the test server's own version (CURATE_TEST_PGBIN/psql): the reference for
    /// describe output, which psql builds for the server it is connected to. psqlPath when
    /// CURATE_TEST_PGBIN has none.
    public static var serverPsqlPath: String {
        if let bin = ProcessInfo.processInfo.environment["CURATE_TEST_PGBIN"], !bin.isEmpty,
            FileManager.default.isExecutableFile(atPath: "\(bin)/psql")
        {
            return "\(bin)/psql"
        }
        return psqlPath
    }

    /// The folder of the client programs of the server's version (pg_dump, pg_restore): the
    /// folder of `serverPsqlPath`.
    public static var programsFolder: String {
        URL(fileURLWithPath: serverPsqlPath).deletingLastPathComponent().path
    }

    /// The test server's major version (15, 18), asked once.
    public static let serverMajorVersion: Int = {
        guard let server = try? fromEnvironment(),
              let number = try? server.psql("SHOW server_version_num", database: "postgres") else { return 0 }
        return (Int(number) ?? 0) / 10000
    }()

    /// Runs SQL with real psql (-X -A -t -q, ON_ERROR_STOP) in `database`;
    /// returns its output without the trailing newline. Throws on any error.
    public func psql(_ sql: String, database: String, timeout: TimeInterval = 120) throws -> String {
        let output = Subprocess.run(
            executable: Self.psqlPath,
            arguments: ["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
                        "-h", host, "-p", port, "-U", user, "-d", database, "-f", "-"],
            environment: Subprocess.baseEnvironment(),
            stdin: Data(sql.utf8),
            combine: false,
            timeout: timeout)
        let out = String(decoding: output.stdout, as: UTF8.self)
        let err = String(decoding: output.stderr, as: UTF8.self)
        if let spawnError = output.spawnError {
            throw TestSupportError.spawnFailed("cannot run psql (\(Self.psqlPath)): \(spawnError)")
        }
        guard output.status == 0, !output.timedOut else {
            throw TestSupportError.psqlFailed(sql: sql, status: output.status, output: out + err)
        }
        var trimmed = out
        while trimmed.hasSuffix("\n") { trimmed.removeLast() }
        return trimmed
    }
}

/// A database of its own for one test, copied from a template database
/// (scripts/test makes `curate_template`: the sample schema and seed at size 200).
///
///     let db = try TestDatabase.create()
///     defer { db.drop() }
///     let r = CurateProcess.run(arguments: db.curateArguments + ["-c", "select 1"])
///     #expect(try db.psql("select count(*) from file") == "200")
public struct TestDatabase: Sendable {
    public let name: String
    public let server: TestServer

    public var host: String { server.host }
    public var port: String { server.port }
    public var user: String { server.user }

    /// Connection options for curate (and psql): -h -p -U -d.
    public var curateArguments: [String] { ["-h", host, "-p", port, "-U", user, "-d", name] }
    /// Same as `curateArguments`.
    public var connectionArguments: [String] { curateArguments }
    /// The same connection as libpq environment variables, for tests of that path.
    public var libpqEnvironment: [String: String] {
        ["PGHOST": host, "PGPORT": port, "PGUSER": user, "PGDATABASE": name]
    }

    public init(name: String, server: TestServer) {
        self.name = name
        self.server = server
    }

    /// Creates a database copied from `template` ("template0" gives an empty
    /// one), uniquely named `curate_test_<pid>_<random>`. Pass `name` for a
    /// fixed name instead (e.g. for a transcript whose prompt shows it): a
    /// database of that name is dropped first, so keep such names unique
    /// among the tests of one run.
    public static func create(from template: String = "curate_template", name: String? = nil) throws -> TestDatabase {
        let server = try TestServer.fromEnvironment()
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let fixedName = name != nil
        let name = name ?? "curate_test_\(getpid())_\(suffix)"
        if fixedName {
            _ = try server.psql(
                "SET client_min_messages = warning; DROP DATABASE IF EXISTS \(quoteIdentifier(name)) WITH (FORCE);",
                database: "postgres")
        }
        // CREATE DATABASE fails while anybody is connected to the template; retry a little.
        let sql = "SET client_min_messages = warning; "
            + "CREATE DATABASE \(quoteIdentifier(name)) TEMPLATE \(quoteIdentifier(template));"
        var attempt = 0
        while true {
            do {
                _ = try server.psql(sql, database: "postgres")
                return TestDatabase(name: name, server: server)
            } catch TestSupportError.psqlFailed(_, _, let output)
                where output.contains("is being accessed by other users") && attempt < 20
            {
                attempt += 1
                usleep(250_000)
            }
        }
    }

    /// Drops the database (closing any session still connected to it). Never throws;
    /// a failure is printed to stderr.
    public func drop() {
        do {
            _ = try server.psql(
                "DROP DATABASE IF EXISTS \(Self.quoteIdentifier(name)) WITH (FORCE);", database: "postgres")
        } catch {
            FileHandle.standardError.write(Data("warning: could not drop \(name): \(error)\n".utf8))
        }
    }

    /// Runs SQL in this database with real psql (-X -A -t -q, stop on the first
    /// error) and returns its output without the trailing newline: one row a
    /// line, columns separated by |. Throws when psql fails.
    @discardableResult
    public func psql(_ sql: String) throws -> String {
        try server.psql(sql, database: name)
    }

    /// "name" with embedded quotes doubled.
    public static func quoteIdentifier(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
