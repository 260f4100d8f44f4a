import Testing
@testable import CurateKit

/// Which statements a read-only session refuses to send: those that would make its
/// transaction writable, and nothing else.
@Suite("Read-write requests")
struct ReadWriteRequestTests {
    @Test("statements that ask for a writable transaction are found", arguments: [
        "BEGIN READ WRITE",
        "begin transaction isolation level serializable, read write",
        "START TRANSACTION READ  /* a comment */ WRITE",
        "SET TRANSACTION READ WRITE",
        "set transaction isolation level read committed read write",
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
        "SET transaction_read_only = off",
        "SET LOCAL transaction_read_only TO false",
        "SET SESSION \"transaction_read_only\" = '0'",
        "SET transaction_read_only TO DEFAULT",
        "SET default_transaction_read_only = off",
        "RESET transaction_read_only",
        "reset default_transaction_read_only",
        "SELECT 1; BEGIN READ WRITE; INSERT INTO t VALUES (1); COMMIT",
    ])
    func found(_ sql: String) {
        #expect(ReadWriteRequest.find(in: sql) != nil, "\(sql)")
    }

    @Test("statements that keep the transaction read-only, or only mention the words, pass", arguments: [
        "BEGIN",
        "BEGIN READ ONLY",
        "START TRANSACTION ISOLATION LEVEL READ COMMITTED",
        "SET TRANSACTION READ ONLY",
        "SET transaction_read_only = on",
        "SET LOCAL transaction_read_only TO 'true'",
        "SET default_transaction_read_only = 1",
        "SELECT 'BEGIN READ WRITE'",
        "SELECT 1 -- SET TRANSACTION READ WRITE",
        "SELECT \"read\", \"write\" FROM t",
        "SET search_path = public",
        "RESET ALL",
        "SELECT set_config('transaction_read_only', 'off', true)",
    ])
    func passes(_ sql: String) {
        #expect(ReadWriteRequest.find(in: sql) == nil, "\(sql)")
    }

    @Test("the statement is named in the refusal, shortened")
    func shown() {
        #expect(ReadWriteRequest.find(in: "select 1; begin read write") == "begin read write")
        #expect(ReadWriteRequest.find(in: "BEGIN ISOLATION LEVEL REPEATABLE READ, READ WRITE, NOT DEFERRABLE") == "BEGIN ISOLATION LEVEL REPEATABLE READ, READ WRITE ...")
    }
}
