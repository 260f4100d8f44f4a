import Testing
@testable import CurateKit

@Suite("Variables")
struct VariablesTests {
    @Test("booleans are read as psql reads them", arguments: [
        ("on", true), ("off", false), ("true", true), ("f", false), ("YES", true), ("n", false), ("1", true), ("0", false),
    ])
    func parsesBooleans(text: String, expected: Bool) {
        #expect(Variables.parseBool(text) == expected)
    }

    @Test("ambiguous or unknown text is not a boolean")
    func rejectsOthers() {
        #expect(Variables.parseBool("o") == nil)
        #expect(Variables.parseBool("maybe") == nil)
        #expect(Variables.parseBool("") == nil)
    }

    @Test("unset and unrecognised values fall back to the default")
    func defaults() {
        let variables = Variables()
        #expect(variables.bool("ON_ERROR_STOP", default: true))
        variables["ON_ERROR_STOP"] = "0"
        #expect(!variables.bool("ON_ERROR_STOP", default: true))
        variables["ON_ERROR_STOP"] = "sometimes"
        #expect(variables.bool("ON_ERROR_STOP", default: true))
    }
}

@Suite("Quoting without a connection")
struct SQLQuotingTests {
    @Test("identifiers double their quotes")
    func identifier() {
        #expect(SQLQuoting.identifier("plain") == "\"plain\"")
        #expect(SQLQuoting.identifier("we\"ird; name") == "\"we\"\"ird; name\"")
    }

    @Test("literals double quotes and switch to E'' for backslashes, as PQescapeLiteral")
    func literal() {
        #expect(SQLQuoting.literal("it's") == "'it''s'")
        #expect(SQLQuoting.literal("a\\b") == " E'a\\\\b'")
    }
}

@Suite("Server error presentation")
struct ServerErrorTests {
    @Test("psql's layout: severity, LINE excerpt with caret, DETAIL, HINT")
    func formatted() {
        var error = ServerError(sqlState: "42703", message: "column \"nosuch\" does not exist")
        error.statement = "select id,\n  nosuch from t;"
        error.position = 14
        error.hint = "Perhaps you meant to reference the column \"t.such\"."
        #expect(error.formatted() == """
            ERROR:  column "nosuch" does not exist
            LINE 2:   nosuch from t;
                      ^
            HINT:  Perhaps you meant to reference the column "t.such".
            """)
    }

    @Test("verbose form carries the SQLSTATE")
    func verbose() {
        let error = ServerError(sqlState: "42P01", message: "relation \"x\" does not exist")
        #expect(error.formatted(verbose: true).hasPrefix("ERROR:  42P01: relation \"x\" does not exist"))
    }

    @Test("a position past the end of the statement gives no excerpt")
    func positionOutOfRange() {
        #expect(ServerError.excerpt(of: "select 1", at: 99).isEmpty)
    }
}

@Suite("Progress line")
struct ProgressTests {
    @Test("done/total, a bar, the rate and the time left")
    func line() {
        let progress = Progress(label: "tables", total: 10, console: Console(outputDescriptor: -1, errorDescriptor: -1), enabled: false)
        progress.update(done: 5)
        let text = progress.line(now: Progress.now() + 5)
        #expect(text.hasPrefix("tables [##########          ] 5/10 ETA 0:0"))
        #expect(text.hasSuffix("(1/s)") || text.hasSuffix("(0/s)"))
    }

    @Test("durations as m:ss and h:mm:ss")
    func durations() {
        #expect(Progress.duration(65) == "1:05")
        #expect(Progress.duration(3725) == "1:02:05")
    }
}
