import CurateTestSupport
import Foundation
import Testing
@testable import CurateKit

/// The shared session as plugins use it, against a real server.
@Suite("Session")
struct SessionTests {
    static func connect(_ database: TestDatabase) throws -> Session {
        try Session(parameters: ConnectionParameters(database: database.name, host: database.host, port: database.port, user: database.user))
    }

    @Test("parameters travel as parameters, never spliced into the SQL")
    func parameters() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        let hostile = "x'); drop table file; --"
        let result = try session.execute("select $1::text as value, $2::int + 1 as next", [hostile, "41"])
        #expect(result.rows[0]["value"] == hostile)
        #expect(result.rows[0]["next"] == "42")
        #expect(try database.psql("select count(*) > 0 from file") == "t")
    }

    @Test("stream hands over every row and returns the command tag")
    func streams() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        var sum = 0
        let tag = try session.stream("select n from generate_series(1, 10000) n") { row in
            sum += Int(row[0]!)!
        }
        #expect(sum == 50_005_000)
        #expect(tag == "SELECT 10000")
    }

    @Test("throwing from a row handler stops the query and leaves the session usable")
    func streamStops() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        struct Enough: Error {}
        var seen = 0
        #expect(throws: Enough.self) {
            try session.stream("select n from generate_series(1, 10000000) n") { _ in
                seen += 1
                if seen == 10 { throw Enough() }
            }
        }
        #expect(seen == 10)
        #expect(try session.execute("select 1").rows[0][0] == "1")
    }

    @Test("transaction() with none open commits what its body did")
    func transactionCommits() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        try session.execute("create table t (n int)")
        try session.transaction { try session.execute("insert into t values (1)") }
        #expect(session.transactionState == .idle)
        #expect(try database.psql("select count(*) from t") == "1")
    }

    @Test("transaction() rolls back its body's work when the body throws")
    func transactionRollsBack() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        try session.execute("create table t (n int)")
        #expect(throws: ServerError.self) {
            try session.transaction {
                try session.execute("insert into t values (1)")
                try session.execute("insert into t values (1/0)")
            }
        }
        #expect(session.transactionState == .idle)
        #expect(try database.psql("select count(*) from t") == "0")
    }

    @Test("inside the user's transaction, transaction() uses a savepoint: it never commits, and a failure keeps the user's work")
    func transactionInsideUserTransaction() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        try session.execute("create table t (n int)")
        try session.execute("begin")
        try session.execute("insert into t values (1)")
        try session.transaction { try session.execute("insert into t values (2)") }
        #expect(session.transactionState == .inTransaction)
        #expect(throws: ServerError.self) {
            try session.transaction {
                try session.execute("insert into t values (3)")
                try session.execute("select 1/0")
            }
        }
        #expect(session.transactionState == .inTransaction)
        #expect(try database.psql("select count(*) from t") == "0", "nothing is committed yet")
        #expect(try session.execute("select string_agg(n::text, ',' order by n) from t").rows[0][0] == "1,2")
        try session.execute("rollback")
        #expect(try database.psql("select count(*) from t") == "0")
    }

    @Test("a failed transaction refuses more work with a clear message")
    func failedTransaction() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        try session.execute("begin")
        _ = try? session.execute("select 1/0")
        #expect(session.transactionState == .failed)
        #expect(throws: CommandError.self) { try session.transaction { } }
    }

    @Test("server errors carry SQLSTATE, detail and hint")
    func serverErrorFields() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        do {
            try session.execute("insert into file (id, name) select id, name from file limit 1")
            Issue.record("a duplicate key was accepted")
        } catch let error as ServerError {
            #expect(error.sqlState == "23505")
            #expect(error.detail?.hasPrefix("Key (id)=") == true)
            #expect(error.constraintName == "file_pkey")
            #expect(error.tableName == "file")
        }
    }

    @Test("a server error carries libpq's text at the session's verbosity, and the verbose text; a changed field drops them")
    func serverErrorText() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        func failure() throws -> ServerError {
            do {
                try session.execute("select 1/0")
            } catch let error as ServerError {
                return error
            }
            throw CommandError("select 1/0 did not fail")
        }
        var error = try failure()
        #expect(error.formatted() == "ERROR:  division by zero")
        #expect(error.formatted(verbose: true).hasPrefix("ERROR:  22012: division by zero\nLOCATION:  "))
        session.errorVerbosity = .sqlstate
        #expect(try failure().formatted() == "ERROR:  22012")
        session.errorVerbosity = .default
        error.hint = "a plugin's hint"
        #expect(error.libpqText == nil)
        #expect(error.formatted() == "ERROR:  division by zero\nHINT:  a plugin's hint")
    }

    @Test("notices come with libpq's text: CONTEXT only as SHOW_CONTEXT allows")
    func noticeText() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        nonisolated(unsafe) var notices: [String] = []
        session.noticeHandler = { notices.append($0.formatted()) }
        try session.execute("do $$ begin raise notice 'hello'; end $$")
        session.errorContextVisibility = .always
        try session.execute("do $$ begin raise notice 'hello'; end $$")
        #expect(notices == ["NOTICE:  hello", "NOTICE:  hello\nCONTEXT:  PL/pgSQL function inline_code_block line 1 at RAISE"])
    }

    @Test("a dropped connection is reported as lost (with the transaction), and recover() connects again")
    func lostConnection() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        try session.execute("begin")
        let pid = session.info.backendPID
        _ = try database.psql("select pg_terminate_backend(\(pid))")
        do {
            try session.execute("select 1")
            Issue.record("the query on a terminated connection succeeded")
        } catch let error as ConnectionError {
            #expect(error.kind == .lost)
            #expect(error.transactionLost)
        }
        #expect(!session.isConnected)
        #expect(session.transactionState == .unknown)
        #expect(throws: ConnectionError.self) { try session.execute("select 1") }
        let recovery = try #require(try session.recover())
        #expect(recovery.transactionLost)
        #expect(session.info.backendPID != pid)
        #expect(try session.execute("select 2").rows[0][0] == "2")
    }

    @Test("a session setting that fails on the new connection after a reconnect is reported by recover(), not dropped")
    func setupFailureAfterReconnect() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let role = database.name + "_role"
        _ = try database.psql("create role \(role)")
        defer { _ = try? database.psql("drop role if exists \(role)") }
        let session = try Self.connect(database)
        try session.configure(["SET ROLE \(role)"])
        let pid = session.info.backendPID
        _ = try database.psql("select pg_terminate_backend(\(pid))")
        _ = try database.psql("drop role \(role)")
        #expect(throws: ConnectionError.self) { try session.execute("select 1") }
        let recovery = try #require(try session.recover())
        #expect(recovery.setupFailures == [Session.SetupFailure(statement: "SET ROLE \(role)", message: "role \"\(role)\" does not exist")])
        #expect(try session.execute("select 2").rows[0][0] == "2")
    }

    @Test("a read-only session sends no statement that would make its transaction writable, whoever calls it; the user's transaction stays as it was")
    func readOnlyRefusesReadWrite() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        try session.execute("create table t (n int)")
        try session.configure(["SET default_transaction_read_only = on"])
        for sql in ["BEGIN READ WRITE", "START TRANSACTION READ WRITE; INSERT INTO t VALUES (1); COMMIT"] {
            #expect(throws: CommandError.self) { try session.execute(sql) }
            #expect(session.transactionState == .idle)
        }
        try session.execute("BEGIN")
        for sql in ["SET TRANSACTION READ WRITE", "SET LOCAL transaction_read_only = off", "RESET transaction_read_only"] {
            let error = #expect(throws: CommandError.self) { try session.execute(sql) }
            #expect(error?.message.contains("this session is read-only") == true)
            #expect(session.transactionState == .inTransaction)
        }
        #expect(try session.execute("SHOW transaction_read_only").rows[0][0] == "on")
        #expect(throws: ServerError.self) { try session.execute("INSERT INTO t VALUES (2)") }
        try session.execute("ROLLBACK")
        #expect(try database.psql("select count(*) from t") == "0")
        // The lock ends with read-only mode: the same statement runs in a writable session.
        try session.configure(["SET default_transaction_read_only = off"])
        try session.execute("BEGIN READ WRITE")
        try session.execute("ROLLBACK")
    }

    @Test("a temporary read-only run is locked like --read-only, and ends writable, also after the connection was lost")
    func temporaryReadOnly() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        try session.beginTemporaryReadOnly()
        #expect(session.isReadOnly)
        #expect(throws: CommandError.self) { try session.execute("SELECT set_config('default_transaction_read_only', 'off', false)") }
        #expect(session.isReadOnly)
        #expect(throws: CommandError.self) { try session.execute("BEGIN READ WRITE") }
        try session.endTemporaryReadOnly()
        #expect(!session.isReadOnly)
        try session.execute("BEGIN READ WRITE")
        try session.execute("ROLLBACK")

        try session.beginTemporaryReadOnly()
        let pid = try session.execute("select pg_backend_pid()").rows[0][0]!
        _ = try database.psql("select pg_terminate_backend(\(pid))")
        #expect(throws: ConnectionError.self) { try session.execute("select 1") }
        try session.endTemporaryReadOnly()
        _ = try session.recover()
        #expect(!session.isReadOnly)
        try session.execute("BEGIN READ WRITE")
        try session.execute("ROLLBACK")
    }

    @Test("identifiers and literals are quoted by libpq")
    func quoting() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        let name = "we\"ird; tåble"
        try session.execute("create table \(session.quoteIdentifier(name)) (v text)")
        try session.execute("insert into \(session.quoteIdentifier(name)) values (\(session.quoteLiteral("it's a \\ test")))")
        #expect(try session.execute("select v from \(session.quoteIdentifier(name))").rows[0][0] == "it's a \\ test")
    }

    @Test("in a script, confirmation is refused unless the command was given --yes")
    func confirmationInScript() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        let context = CommandContext(session: session, console: Console(outputDescriptor: -1, errorDescriptor: -1), variables: Variables(), settings: OutputSettings(), isInteractive: false)
        #expect(try context.confirm("Delete 3 rows?", assumeYes: true))
        #expect {
            _ = try context.confirm("Delete 3 rows?", assumeYes: false)
        } throws: { error in
            (error as? CommandError)?.hint?.contains("--yes") == true
        }
    }

    @Test("progress is silent when not at a terminal")
    func progressSilentInScripts() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        var pipe: [Int32] = [0, 0]
        #expect(Foundation.pipe(&pipe) == 0)
        let console = Console(outputDescriptor: pipe[1], errorDescriptor: pipe[1])
        let context = CommandContext(session: session, console: console, variables: Variables(), settings: OutputSettings(), isInteractive: false)
        let progress = context.progress("rows", total: 10)
        progress.update(done: 5)
        progress.finish()
        console.flush()
        close(pipe[1])
        var buffer = [UInt8](repeating: 0, count: 64)
        #expect(read(pipe[0], &buffer, 64) == 0)
        close(pipe[0])
    }
}
