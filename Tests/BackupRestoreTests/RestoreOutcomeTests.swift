import Testing
@testable import RestorePlugin

/// How pg_restore's error output is sorted and shown.
@Suite("Restore errors")
struct RestoreOutcomeTests {
    @Test("after the connection is lost, every later \"no connection\" error is counted, not shown; each is still an error")
    func afterConnectionLoss() {
        var outcome = RestoreOutcome()
        outcome.take("pg_restore: error: could not execute query: ERROR:  relation \"x\" does not exist")
        outcome.take("Command was: SELECT 1;")
        outcome.take("pg_restore: error: could not execute query: server closed the connection unexpectedly")
        outcome.take("Command was: ALTER TABLE ONLY public.header DROP CONSTRAINT header_pkey;")
        for entry in ["file", "diskfile"] {
            outcome.take("pg_restore: error: could not execute query: no connection to the server")
            outcome.take("Command was: CREATE TABLE public.\(entry) (id integer);")
        }
        outcome.take("pg_restore: error: could not set default_tablespace to \"\": no connection to the server")
        outcome.take("pg_restore: error: a worker process died unexpectedly")
        outcome.finish()
        #expect(outcome.errorCount == 6)
        #expect(outcome.errors == [
            "pg_restore: error: could not execute query: ERROR:  relation \"x\" does not exist",
            "Command was: SELECT 1;",
            "pg_restore: error: could not execute query: server closed the connection unexpectedly",
            "Command was: ALTER TABLE ONLY public.header DROP CONSTRAINT header_pkey;",
            "pg_restore: error: a worker process died unexpectedly",
            "(3 more steps failed the same way: no connection to the server)",
        ])
        #expect(outcome.failed)
    }

    @Test("before any loss, errors are shown one by one, even alike ones")
    func alikeErrorsShown() {
        var outcome = RestoreOutcome()
        for entry in ["a", "b"] {
            outcome.take("pg_restore: error: could not execute query: ERROR:  permission denied for schema public")
            outcome.take("Command was: CREATE TABLE public.\(entry) (id integer);")
        }
        outcome.finish()
        #expect(outcome.errorCount == 2)
        #expect(outcome.errors.count == 4)
    }
}
