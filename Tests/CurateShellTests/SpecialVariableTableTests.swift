import Foundation
@testable import CurateShell
import Testing

/// The table of psql's special variables: psql's validation and substitutes, curate's refusals.
@Suite("Special variable table")
struct SpecialVariableTableTests {
    private func assign(_ name: String, _ value: String?) throws -> String? {
        try SpecialVariable.named(name)!.assignment(of: value)
    }

    @Test("booleans: psql's spellings, empty means on, unset means off")
    func booleans() throws {
        #expect(try assign("AUTOCOMMIT", "of") == "of")
        #expect(try assign("AUTOCOMMIT", "") == "on")
        #expect(try assign("AUTOCOMMIT", nil) == "off")
        #expect(throws: SpecialVariable.Refusal.self) { try assign("AUTOCOMMIT", "o") }
        do {
            _ = try assign("ON_ERROR_STOP", "maybe")
            Issue.record("accepted")
        } catch let refusal as SpecialVariable.Refusal {
            #expect(refusal.message == "unrecognized value \"maybe\" for \"ON_ERROR_STOP\": Boolean expected")
        }
    }

    @Test("choices: any case; a list of the values when refused; unset gives psql's default")
    func choices() throws {
        #expect(try assign("ECHO", "ALL") == "ALL")
        #expect(try assign("ECHO", nil) == "none")
        #expect(try assign("ON_ERROR_ROLLBACK", "yes") == "yes")
        #expect(try assign("ON_ERROR_ROLLBACK", nil) == "off")
        do {
            _ = try assign("ECHO_HIDDEN", "x")
            Issue.record("accepted")
        } catch let refusal as SpecialVariable.Refusal {
            #expect(refusal.message == "unrecognized value \"x\" for \"ECHO_HIDDEN\"\nAvailable values are: on, off, noexec.")
        }
    }

    @Test("integers and IGNOREEOF's bash rule")
    func integers() throws {
        #expect(try assign("FETCH_COUNT", "-1") == "-1")
        #expect(try assign("FETCH_COUNT", nil) == "0")
        #expect(throws: SpecialVariable.Refusal.self) { try assign("FETCH_COUNT", "1e3") }
        #expect(try assign("IGNOREEOF", nil) == "0")
        #expect(throws: SpecialVariable.Refusal.self) { try assign("IGNOREEOF", "q") }  // 10: not implemented
    }

    @Test("partly implemented: curate's value accepted, \\unset goes back to it, the rest refused")
    func partlyImplemented() throws {
        #expect(try assign("HISTSIZE", "2000") == "2000")
        #expect(try assign("HISTSIZE", nil) == "2000")
        #expect(throws: SpecialVariable.Refusal.self) { try assign("HISTSIZE", "500") }
        #expect(throws: SpecialVariable.Refusal.self) { try assign("HISTFILE", "/tmp/h") }
        #expect(try assign("HISTFILE", nil) == nil)
        #expect(try assign("COMP_KEYWORD_CASE", "Preserve-Upper") == "Preserve-Upper")
        #expect(throws: SpecialVariable.Refusal.self) { try assign("COMP_KEYWORD_CASE", "lower") }
    }

    @Test("every variable psql 15 lists at start is in the table")
    func psqlDefaultsCovered() {
        let psqlAtStart = [
            "AUTOCOMMIT", "COMP_KEYWORD_CASE", "DBNAME", "ECHO", "ECHO_HIDDEN", "ENCODING", "FETCH_COUNT", "HIDE_TABLEAM",
            "HIDE_TOAST_COMPRESSION", "HISTCONTROL", "HISTSIZE", "HOST", "IGNOREEOF", "LAST_ERROR_MESSAGE",
            "LAST_ERROR_SQLSTATE", "ON_ERROR_ROLLBACK", "ON_ERROR_STOP", "PORT", "PROMPT1", "PROMPT2", "PROMPT3", "QUIET",
            "SERVER_VERSION_NAME", "SERVER_VERSION_NUM", "SHOW_ALL_RESULTS", "SHOW_CONTEXT", "SINGLELINE", "SINGLESTEP",
            "USER", "VERBOSITY", "VERSION", "VERSION_NAME", "VERSION_NUM",
        ]
        for name in psqlAtStart { #expect(SpecialVariable.named(name) != nil, "\(name)") }
    }
}

/// psql's `command_no_begin`: the statements AUTOCOMMIT off sends without a BEGIN.
@Suite("AUTOCOMMIT exemptions")
struct AutocommitRuleTests {
    @Test("exempt, as in psql 15", arguments: [
        "begin", "  START TRANSACTION", "commit", "END", "abort", "rollback", "prepare transaction 'x'",
        "vacuum", "VACUUM full t", "cluster", "cluster;", "create database d", "create tablespace t location '/x'",
        "create index concurrently i on t (a)", "CREATE UNIQUE INDEX CONCURRENTLY i on t (a)", "alter system set x = 1",
        "drop database d", "drop tablespace t", "drop index concurrently i", "reindex database d", "reindex system d",
        "reindex table concurrently t", "reindex index concurrently i", "discard all",
        "/* comment */ -- another\n vacuum", "commit prepared 'x'", "rollback prepared 'x'",
    ])
    func exempt(_ sql: String) {
        #expect(AutocommitRule.exempts(sql))
    }

    @Test("a BEGIN first, as in psql 15", arguments: [
        "select 1", "prepare p as select 1", "cluster t", "create table t (a int)", "create index i on t (a)",
        "alter table t add b int", "drop table t", "drop index i", "reindex table t", "discard plans", "beginx",
        "(select 1)", "savepoint s", "release s",
    ])
    func notExempt(_ sql: String) {
        #expect(!AutocommitRule.exempts(sql))
    }
}

/// The user guide's table of special variables is the table the shell uses.
@Suite("Special variables in the user guide")
struct SpecialVariableDocumentationTests {
    @Test("docs/user-guide.md holds SpecialVariable.markdownTable between its markers")
    func guideMatchesTable() throws {
        let guide = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/user-guide.md")
        let text = try String(contentsOf: guide, encoding: .utf8)
        let begin = "<!-- special-variables: generated from SpecialVariable.table (a test keeps it equal) -->\n"
        let end = "<!-- end special-variables -->"
        let start = try #require(text.range(of: begin))
        let stop = try #require(text.range(of: end, range: start.upperBound..<text.endIndex))
        let current = String(text[start.upperBound..<stop.lowerBound])
        if ProcessInfo.processInfo.environment["CURATE_UPDATE_DOCS"] == "1" {
            try text.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: SpecialVariable.markdownTable)
                .write(to: guide, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == SpecialVariable.markdownTable, "run with CURATE_UPDATE_DOCS=1 to regenerate")
    }
}
