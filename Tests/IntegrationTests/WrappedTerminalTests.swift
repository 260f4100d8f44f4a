import CurateTestSupport
import Foundation
import Testing

/// At a terminal the wrapped format and `\x auto` fit the table to the terminal's width, or to
/// `$COLUMNS` when that is set (psql's `env_columns`); compared with psql on the same terminal.
@Suite("Wrapped output at a terminal")
struct WrappedTerminalTests {
    @Test("wrapped and \\x auto fit the terminal, or $COLUMNS, as psql's", arguments: [[String: String](), ["COLUMNS": "30"]])
    func fitsTerminal(environment: [String: String]) throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let query = "select 1 as id, repeat('abc ', 30) as t, 'x' as u"
        let arguments = database.curateArguments + [
            "-X", "-P", "pager=off", "-P", "format=wrapped", "-c", query, "-c", "\\x auto", "-c", query,
        ]
        func run(_ executable: URL?) throws -> String {
            let terminal = try PTYSession(arguments: arguments, rows: 100, cols: 50, environment: environment, executable: executable)
            let status = try terminal.waitForExit(timeout: 30)
            #expect(status == 0)
            return terminal.transcript
        }
        let psql = try run(URL(fileURLWithPath: TestServer.psqlPath))
        let curate = try run(nil)
        #expect(psql.contains("|.bc"), "\(psql)")
        #expect(curate == psql)
    }
}
