import CurateTestSupport
import Foundation
import Testing

/// curate itself killed (SIGKILL: no handler, no cleanup) in the middle of a fix. The server
/// must roll the fix's transaction back: the data as before, and in the audit tables nothing
/// half-done (no record, or no audit schema at all when the fix was creating it).
@Suite("curate killed mid-fix")
struct KillTests {
    static let canonicalState =
        "SELECT string_agg(id || ':' || present || '/' || canonical, ',' ORDER BY id) FROM diskfile WHERE file_id IN (7, 107)"

    @Test("killed while the fix waits on a lock, its audit record already written: the server rolls it all back")
    func killedWhileBlocked() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let setup = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\fix queue-stuck --yes --commit"])
        try #require(setup.status == 0, "\(setup)")
        let before = try database.psql(Self.canonicalState)
        let auditBefore = try database.psql("SELECT count(*) || '/' || (SELECT count(*) FROM curate.audit_row) FROM curate.audit")
        let holder = try LockHolder(database: database, statements: ["LOCK TABLE curate.audit_row IN SHARE MODE"])
        defer { holder.close() }
        let curate = try PTYSession(arguments: database.curateArguments + ["-X", "-c", "\\fix duplicate-canonical --yes --commit"])
        defer { curate.terminate() }
        try Poll.until("the fix to wait for the lock", detail: curate.transcript) {
            try database.backends(of: "curate", waitingOn: "Lock") == 1
        }
        #expect(kill(curate.pid, SIGKILL) == 0)
        #expect(try curate.waitForExit() == 128 + SIGKILL)

        // The fix's session is still waiting on the lock; once it gets it, it finds its client
        // gone and ends, rolling back. Nothing can commit it: COMMIT would come from curate.
        try holder.release()
        try Poll.until("the killed curate's session to end") { try database.backends(of: "curate") == 0 }
        #expect(try database.psql(Self.canonicalState) == before)
        #expect(try database.psql("SELECT count(*) || '/' || (SELECT count(*) FROM curate.audit_row) FROM curate.audit") == auditBefore)
        #expect(try database.psql("SELECT count(*) FROM curate.audit WHERE check_name = 'duplicate-canonical'") == "0")
    }

    @Test("killed at the terminal between the preview and the confirmation: data unchanged, and the audit schema it was creating absent")
    func killedAtConfirmation() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let before = try database.psql(Self.canonicalState)
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X", "-v", "CURATE_FIX_CONFIRM_ROWS=1"], cols: 200)
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\fix duplicate-canonical")
        try terminal.waitFor("does not exist. Create it")
        try terminal.sendLine("y")
        try terminal.waitFor("2 rows changed")
        try terminal.waitFor("Apply these 2 changes? [y/N] ")
        // At this moment the rows are changed and the audit schema exists, in the open transaction.
        #expect(try database.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'curate' AND state = 'idle in transaction'") == "1")
        #expect(kill(terminal.pid, SIGKILL) == 0)
        #expect(try terminal.waitForExit() == 128 + SIGKILL)

        try Poll.until("the killed curate's session to end") { try database.backends(of: "curate") == 0 }
        #expect(try database.psql(Self.canonicalState) == before)
        #expect(try database.psql("SELECT to_regnamespace('curate') IS NULL") == "t")
    }
}
