import CurateTestSupport
import Foundation
import Testing
@testable import CurateKit

/// The one scoped-transaction primitive: each step's failure is typed, and a failed rollback is
/// reported with the failure that caused it.
@Suite("Transaction scope")
struct TransactionScopeTests {
    static func connect(_ database: TestDatabase) throws -> Session {
        let session = try SessionTests.connect(database)
        try session.execute("create table t (id int unique deferrable initially deferred)")
        return session
    }

    static func count(_ session: Session) throws -> String? {
        try session.execute("select count(*) from t").rows.first?[0]
    }

    @Test("a transaction that is open already failed is refused at the begin step")
    func beginFails() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        try session.execute("begin")
        _ = try? session.execute("select 1/0")
        #expect(session.transactionState == .failed)
        do {
            try session.withTransaction { Issue.record("the body ran") }
            Issue.record("no error")
        } catch {
            #expect(error.step == .begin)
            #expect(error.beginError is CommandError)
            #expect(error.rollbackError == nil)
        }
    }

    @Test("a body that throws: step body with its own error, rolled back cleanly, the error handed on as it was")
    func bodyFails() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        struct Oops: Error {}
        do {
            try session.withTransaction {
                try session.execute("insert into t values (1)")
                throw Oops()
            }
            Issue.record("no error")
        } catch {
            #expect(error.step == .body)
            #expect(error.bodyError is Oops)
            #expect(error.rollbackError == nil)
            #expect(error.reported is Oops)
        }
        #expect(session.transactionState == .idle)
        #expect(try Self.count(session) == "0")
    }

    @Test("a COMMIT the server refuses (a deferred unique key): step commit with the server's error")
    func commitFails() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        do {
            try session.withTransaction { try session.execute("insert into t values (1), (1)") }
            Issue.record("no error")
        } catch {
            #expect(error.step == .commit)
            #expect((error.commitError as? ServerError)?.sqlState == "23505")
            #expect(error.reported is ServerError)
        }
        #expect(session.transactionState == .idle)
        #expect(try Self.count(session) == "0")
    }

    @Test("a rollback that fails is reported with the failure that caused it, never dropped")
    func rollbackFails() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        try session.execute("begin")
        struct Oops: Error, CustomStringConvertible { var description: String { "the body failed" } }
        do {
            try session.withSavepoint(named: "scope_test") {
                // The savepoint is gone when the scope rolls back to it.
                try session.execute("release savepoint scope_test")
                throw Oops()
            }
            Issue.record("no error")
        } catch {
            #expect(error.step == .body)
            let rollback = try #require(error.rollbackError as? ServerError)
            #expect(rollback.sqlState == "3B001")
            #expect(error.reported is TransactionError)
            #expect(error.description.hasPrefix("the body failed; rolling back failed as well: savepoint \"scope_test\" does not exist"))
        }
        // Session.savepoint hands on the same: the rollback failure is in what it throws.
        try session.execute("rollback")
        try session.execute("begin")
        #expect(throws: TransactionError.self) {
            try session.savepoint {
                try session.execute("release savepoint curate_savepoint_1")
                throw Oops()
            }
        }
        try session.execute("rollback")
    }

    @Test("keep: false rolls back a body that returned; settings hold inside the scope only")
    func discardAndSettings() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        let before = try session.execute("show work_mem").rows.first?[0]
        let inside = try session.withTransaction(keep: false, settings: [QuerySetting("work_mem", "7MB")]) {
            try session.execute("insert into t values (1)")
            return try session.execute("show work_mem").rows.first?[0]
        }
        #expect(inside == "7MB")
        #expect(try session.execute("show work_mem").rows.first?[0] == before)
        #expect(try Self.count(session) == "0")
        #expect(session.transactionState == .idle)
    }

    @Test("inside the user's transaction a read-only scope is a savepoint: its write fails, the user's transaction goes on")
    func readOnlySavepoint() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try Self.connect(database)
        try session.execute("begin")
        try session.execute("insert into t values (1)")
        do {
            try session.withTransaction(readOnly: true) { try session.execute("insert into t values (2)") }
            Issue.record("no error")
        } catch {
            #expect(error.step == .body)
            #expect((error.bodyError as? ServerError)?.sqlState == "25006")
            #expect(error.rollbackError == nil)
        }
        #expect(session.transactionState == .inTransaction)
        try session.execute("insert into t values (3)")
        try session.execute("commit")
        #expect(try Self.count(session) == "2")
    }
}
