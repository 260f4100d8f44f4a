import CurateTestSupport
import Foundation
import Testing

/// `\row` at a real terminal: the walk a person makes (a file, one of its diskfiles, a header,
/// back), and Tab completing tables and key values.
@Suite("row at the terminal", .serialized)
struct RowTerminalTests {
    static func open(_ database: TestDatabase) throws -> PTYSession {
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X", "-P", "pager=off"], cols: 250)
        try terminal.waitFor("=# ")
        return terminal
    }

    @Test("the walk: \\row file NAME, \\row N to a diskfile and its header, \\back twice")
    func walk() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try Self.open(database)
        defer { terminal.terminate() }
        try terminal.sendLine("\\row file N20240629S0004.fits")
        try terminal.waitFor("file id = 7")
        try terminal.waitFor("Children: diskfile.file_id → file.id: 2 rows")
        let first = try terminal.waitFor("\\row N shows related row N; \\back returns.")
        #expect(first.contains("duplicate-canonical (error)"), "\(first)")
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\row 2")
        try terminal.waitFor("diskfile id = 9")
        try terminal.waitFor("Parent: diskfile.file_id → file.id: 1 row")
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\row 2")
        try terminal.waitFor("header id = 9")
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\back")
        try terminal.waitFor("diskfile id = 9")
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\back")
        try terminal.waitFor("file id = 7")
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\back")
        try terminal.waitFor("no earlier row to go back to")
        try terminal.waitFor("=# ")
        // Inside the user's transaction, \row sees its uncommitted changes and leaves it open.
        try terminal.sendLine("begin;")
        try terminal.waitFor("=*# ")
        try terminal.sendLine("update diskfile set canonical = false, present = false where id = 7;")
        try terminal.waitFor("=*# ")
        try terminal.sendLine("\\row file 7")
        let inTransaction = try terminal.waitFor("=*# ")
        // The uncommitted change is seen (no finding any more), and the transaction stays open.
        #expect(inTransaction.contains("Findings: none"), "\(inTransaction)")
        try terminal.sendLine("rollback;")
        try terminal.waitFor("=# ")
    }

    @Test("Tab completes the table, then key values (here the unique name of a file)")
    func completion() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try Self.open(database)
        defer { terminal.terminate() }
        try terminal.waitForRawMode()
        try terminal.send("\\row ingestq\t")
        try terminal.waitFor("\\row ingestqueue ")
        try terminal.sendControl("u")
        try terminal.send("\\row file N20240629S0004\t")
        try terminal.waitFor("N20240629S0004.fits ")
        try terminal.sendLine("")
        let shown = try terminal.waitFor("=# ")
        #expect(shown.contains("file id = 7"), "\(shown)")
    }
}
