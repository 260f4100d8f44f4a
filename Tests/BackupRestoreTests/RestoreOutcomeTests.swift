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

    @Test("two workers' lines broken into each other make one error, not two; a harmless one stays harmless")
    func interleavedWorkers() {
        var outcome = RestoreOutcome()
        outcome.take("pg_restore: pg_restore:error:  finished item 3415 SEQUENCE SET ingestqueue_id_seq")
        outcome.take("could not execute query: ERROR:  insert or update on table \"child\" violates foreign key constraint \"child_parent_fkey\"")
        outcome.take("DETAIL:  Key (parent)=(99) is not present in table \"parent\".")
        outcome.take("Command was: ALTER TABLE ONLY public.child")
        outcome.take("pg_restore: pg_restore: error: finished item 3416 TABLE DATA file")
        outcome.take("could not execute query: ERROR:  role \"archive_reader\" does not exist")
        outcome.take("Command was: GRANT SELECT ON TABLE public.file TO archive_reader;")
        outcome.finish()
        #expect(outcome.errorCount == 1)
        #expect(outcome.errors.count == 4)
        #expect(outcome.harmless == 1)
        #expect(outcome.missingRoles == ["archive_reader": 1])
    }

    @Test("a line of its own that follows an error starts a new error")
    func separateErrorsStaySeparate() {
        var outcome = RestoreOutcome()
        outcome.take("pg_restore: error: a worker process died unexpectedly")
        outcome.take("pg_restore: error: could not execute query: ERROR:  role \"archive_reader\" does not exist")
        outcome.take("Command was: GRANT SELECT ON TABLE public.file TO archive_reader;")
        outcome.finish()
        #expect(outcome.errorCount == 1)
        #expect(outcome.errors == ["pg_restore: error: a worker process died unexpectedly"])
        #expect(outcome.harmless == 1)
    }
}
