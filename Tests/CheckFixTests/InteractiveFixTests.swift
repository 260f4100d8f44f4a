import CurateTestSupport
import Foundation
import Testing

/// A fix at a real terminal: the preview, the confirmation above the row threshold, and the
/// transaction left open for the person (the prompt shows it) until they COMMIT or ROLLBACK.
@Suite("fix at the terminal", .serialized)
struct InteractiveFixTests {
    @Test("above the threshold a fix asks; answered no, nothing changes; answered yes, the transaction stays open until COMMIT")
    func confirmAndLeaveOpen() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let canonicalBefore = try database.psql("SELECT count(*) FROM diskfile WHERE canonical")
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X", "-v", "CURATE_FIX_CONFIRM_ROWS=1"], cols: 200)
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\fix duplicate-canonical")
        try terminal.waitFor("does not exist. Create it")
        try terminal.sendLine("y")
        try terminal.waitFor("2 rows changed")  // the preview comes before the question
        try terminal.waitFor("Apply these")
        try terminal.sendLine("n")
        try terminal.waitFor("=# ")
        #expect(try database.psql("SELECT count(*) FROM diskfile WHERE canonical") == canonicalBefore)
        // Declining rolled back everything the fix did, the audit schema's creation included.
        try terminal.sendLine("\\fix duplicate-canonical")
        try terminal.waitFor("does not exist. Create it")
        try terminal.sendLine("y")
        try terminal.waitFor("Apply these")
        try terminal.sendLine("y")
        try terminal.waitFor("=*# ")
        // Not committed yet: another session still sees the duplicates.
        #expect(try database.psql("SELECT count(*) FROM diskfile WHERE canonical") == canonicalBefore)
        try terminal.sendLine("commit;")
        try terminal.waitFor("COMMIT")
        try terminal.waitFor("=# ")
        #expect(try database.psql("SELECT count(*) FROM (SELECT file_id FROM diskfile WHERE canonical GROUP BY file_id HAVING count(*) > 1) d") == "0")
        #expect(try database.psql("SELECT count(*) FROM curate.audit WHERE check_name = 'duplicate-canonical'") == "1")
    }
}
