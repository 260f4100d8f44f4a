import CurateTestSupport
import Foundation
import Testing

/// Colour follows the conventions other tools follow: TERM=dumb and a non-empty NO_COLOR turn it
/// off (no-color.org: an empty NO_COLOR does not), and output that is not a terminal never has it.
@Suite("colour: TERM=dumb, NO_COLOR and non-terminals")
struct ColourEnvironmentTests {
    /// The raw bytes a terminal session shows for a header and an error, with `environment`.
    static func transcript(_ database: TestDatabase, environment: [String: String]) throws -> String {
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"], cols: 200, environment: environment)
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("select 1 as heading;")
        try terminal.waitFor("(1 row)")
        try terminal.sendLine("select nosuch;")
        try terminal.waitFor("does not exist")
        try terminal.waitFor("=# ")
        return terminal.rawTranscript
    }

    @Test("TERM=dumb gets no colour: no bold header, no red error")
    func dumbTerminal() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let raw = try Self.transcript(database, environment: ["TERM": "dumb"])
        #expect(raw.contains("heading"))
        #expect(!raw.contains("\u{1B}[1m"), "\(raw)")
        #expect(!raw.contains("\u{1B}[31m"), "\(raw)")
    }

    @Test("NO_COLOR set to a value turns colour off; set but empty it does not (no-color.org)")
    func noColor() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let off = try Self.transcript(database, environment: ["NO_COLOR": "yes"])
        #expect(!off.contains("\u{1B}[1m") && !off.contains("\u{1B}[31m"), "\(off)")
        let empty = try Self.transcript(database, environment: ["NO_COLOR": ""])
        #expect(empty.contains("\u{1B}[1mheading\u{1B}[0m"), "\(empty)")
    }

    @Test("output that is not a terminal has no escapes, whatever TERM says")
    func notATerminal() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "select null as heading", "-c", "select nosuch"],
                                       environment: ["TERM": "xterm-256color"])
        #expect(result.stdout.contains("heading"))
        #expect(!result.stdout.contains("\u{1B}") && !result.stderr.contains("\u{1B}"), "\(result)")
    }
}
