import Testing
@testable import CurateShell

/// The order of options as psql applies them, recovered from the arguments argument-parser accepted.
@Suite("Command-line option order")
struct CommandLineOrderTests {
    @Test("-c and -f, in short, grouped and long spellings, keep their order")
    func commandsAndFiles() {
        let order = OptionOrder(["-X", "-c", "select 1", "--file=a.sql", "-Atc", "select 2", "--file", "b.sql", "-fc.sql", "--command=x"])
        #expect(order.commandsAndFiles == [true, false, true, false, false, true])
    }

    @Test("a value that looks like an option is not taken for one")
    func valuesAreSkipped() {
        let order = OptionOrder(["-F", "-A", "--csv", "-v", "x=--csv", "-P", "format=aligned"])
        #expect(order.last(of: ["A", "csv"]) == "csv")
        #expect(order.last(of: ["F", "z"]) == "F")
    }

    @Test("of options setting the same thing, the last given wins")
    func lastWins() {
        #expect(OptionOrder(["-A", "--csv"]).last(of: ["A", "csv", "json"]) == "csv")
        #expect(OptionOrder(["--csv", "--no-align"]).last(of: ["A", "csv", "json"]) == "A")
        #expect(OptionOrder(["-z", "-F", "x"]).last(of: ["F", "z"]) == "F")
        #expect(OptionOrder(["-Az"]).last(of: ["F", "z"]) == "z")
        #expect(OptionOrder(["--", "-A"]).last(of: ["A"]) == nil)
    }

    @Test("options as argument-parser parses them: the format the last option asks for")
    func outputSettings() throws {
        let arguments = ["--csv", "-A", "-R", "#", "-0"]
        let options = try CurateOptions.parse(arguments)
        let settings = options.outputSettings(order: OptionOrder(arguments))
        #expect(settings.format == .unaligned)
        #expect(settings.recordSeparator == "\0")
    }
}

/// psql's SINGLELINE (`-S`): the end of a line ends the statement.
@Suite("Single-line mode")
struct SingleLineSplitterTests {
    private func items(_ lines: [String]) -> [InputItem] {
        var splitter = StatementSplitter()
        splitter.endsStatementAtLineEnd = true
        var result: [InputItem] = []
        for (index, line) in lines.enumerated() {
            result += splitter.feed(line: line, lineNumber: index + 1, resolve: { _ in nil })
        }
        return result
    }

    @Test("a newline ends the statement; a semicolon still does")
    func newlineEnds() {
        #expect(items(["select 1", "select 2; select 3", "as c"]) == [
            .statement(SQLStatement(text: "select 1", firstLine: 1)),
            .statement(SQLStatement(text: "select 2;", firstLine: 2)),
            .statement(SQLStatement(text: "select 3", firstLine: 2)),
            .statement(SQLStatement(text: "as c", firstLine: 3)),
        ])
    }

    @Test("an open quote, comment or parenthesis keeps the statement going")
    func openConstructs() {
        #expect(items(["select 'a", "b'", "select (1", "+ 2)", "select /* x", "*/ 3"]) == [
            .statement(SQLStatement(text: "select 'a\nb'", firstLine: 1)),
            .statement(SQLStatement(text: "select (1\n+ 2)", firstLine: 3)),
            .statement(SQLStatement(text: "select /* x\n*/ 3", firstLine: 5)),
        ])
    }
}
