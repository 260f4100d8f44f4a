import Testing
@testable import CurateKit

/// How `\connect` merges its arguments with the previous connection's options (psql 15's
/// `do_connect`), checked without a server.
@Suite("\\connect options")
struct ConnectRequestTests {
    /// Options in libpq's order, as `PQconninfo` gives them for a connection made with a password.
    static let previous = ConnectionOptions(entries: [
        .init(keyword: "user", value: "alice"), .init(keyword: "password", value: "s3cret"),
        .init(keyword: "dbname", value: "fits"), .init(keyword: "host", value: "db.example.org"),
        .init(keyword: "hostaddr", value: "192.0.2.7"), .init(keyword: "port", value: "5432"),
        .init(keyword: "client_encoding", value: nil), .init(keyword: "sslmode", value: "verify-full"),
        .init(keyword: "fallback_application_name", value: nil),
    ])
    static let defaults = ConnectionOptions(entries: previous.entries.map { .init(keyword: $0.keyword, value: $0.keyword == "port" ? "5432" : nil) })

    private func merged(_ request: ConnectRequest, password: String? = nil) throws -> [String: String] {
        let pairs = try request.options(
            previous: Self.previous, defaults: { Self.defaults }, password: password, applicationName: "curate", clientEncoding: nil)
        return Dictionary(uniqueKeysWithValues: pairs)
    }

    @Test("a new database keeps user, host, address, port, TLS settings and the password")
    func newDatabase() throws {
        let options = try merged(ConnectRequest(database: "archive"))
        #expect(options == [
            "user": "alice", "password": "s3cret", "dbname": "archive", "host": "db.example.org", "hostaddr": "192.0.2.7",
            "port": "5432", "sslmode": "verify-full", "fallback_application_name": "curate",
        ])
    }

    @Test("another user, host or port drops the old password; another host drops the old address")
    func otherUserHostOrPort() throws {
        #expect(try merged(ConnectRequest(user: "bob"))["password"] == nil)
        let moved = try merged(ConnectRequest(host: "replica.example.org"))
        #expect(moved["password"] == nil && moved["hostaddr"] == nil && moved["host"] == "replica.example.org")
        let sameHost = try merged(ConnectRequest(host: "db.example.org"))
        #expect(sameHost["password"] == "s3cret" && sameHost["hostaddr"] == "192.0.2.7")
        #expect(try merged(ConnectRequest(port: "5433"))["password"] == nil)
        #expect(try merged(ConnectRequest(user: "bob"), password: "typed")["password"] == "typed")
    }

    @Test("a connection string starts from libpq's defaults unless -reuse-previous=on")
    func connectionString() throws {
        let fresh = try merged(ConnectRequest(database: "host=other dbname=x"))
        #expect(fresh["user"] == nil && fresh["sslmode"] == nil && fresh["host"] == "other" && fresh["dbname"] == "x")
        #expect(fresh["port"] == nil, "libpq recomputes what the string leaves out")
        let reused = try merged(ConnectRequest(reusePrevious: true, database: "dbname=x"))
        #expect(reused["user"] == "alice" && reused["sslmode"] == "verify-full" && reused["password"] == "s3cret" && reused["dbname"] == "x")
        let moved = try merged(ConnectRequest(reusePrevious: true, database: "postgresql://db2.example.org/x"))
        #expect(moved["password"] == nil && moved["host"] == "db2.example.org")
        let withPassword = try merged(ConnectRequest(reusePrevious: true, database: "host=db2 password=other"))
        #expect(withPassword["password"] == "other")
    }

    @Test("psql's refusals: arguments after a connection string, a malformed string, no previous connection")
    func refusals() throws {
        #expect(throws: CommandError("Do not give user, host, or port separately when using a connection string")) {
            try merged(ConnectRequest(database: "dbname=x", user: "bob"))
        }
        #expect(throws: CommandError("missing \"=\" after \"host\" in connection info string")) {
            try merged(ConnectRequest(database: "dbname=x host"))
        }
        #expect(throws: CommandError("No database connection exists to re-use parameters from")) {
            try ConnectRequest(database: "x").options(previous: nil, defaults: { nil }, password: nil, applicationName: "curate", clientEncoding: nil)
        }
        #expect(ConnectionOptions.isConnectionString("postgres://h/db") && ConnectionOptions.isConnectionString("a=b"))
        #expect(!ConnectionOptions.isConnectionString("plain_name"))
    }
}
