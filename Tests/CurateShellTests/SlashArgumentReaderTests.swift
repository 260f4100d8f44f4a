import Testing
@testable import CurateShell

private func resolve(_ reference: VariableReference) -> String? {
    let values = ["v": "one two", "t": "true"]
    if reference.quoting == .existence { return values[reference.name] == nil ? "FALSE" : "TRUE" }
    return values[reference.name].map { reference.quoting == .literal ? "'\($0)'" : $0 }
}

private func arguments(_ text: String, evaluate: Bool = true) throws -> [String] {
    var scanner = SlashArgumentReader(text)
    return try scanner.remaining(evaluate: evaluate, resolve: resolve)
}

/// psql's reading of backslash-command arguments (psqlscanslash.l, normal options).
@Suite struct SlashArgumentReaderTests {
    @Test func quotesAsPsql() throws {
        #expect(try arguments(#"a 'b c' 'it''s' 'tab\there' "tr"ue x"y z"w"#) == ["a", "b c", "it's", "tab\there", "\"tr\"ue", "x\"y z\"w"])
        #expect(try arguments(#"'\101\x42\q'"#) == ["ABq"])
    }

    @Test func variablesOnlyWhenEvaluating() throws {
        #expect(try arguments(":v :'v' :{?v} :{?nope} :nope x::y") == ["one two", "'one two'", "TRUE", "FALSE", ":nope", "x::y"])
        #expect(try arguments(":v :{?v}", evaluate: false) == [":v", ":{?v}"])
    }

    @Test func backslashStartsTheNextCommand() throws {
        var scanner = SlashArgumentReader(#"true 'a\\b' \echo x \\ select 1;"#)
        #expect(try scanner.remaining(evaluate: true, resolve: resolve) == ["true", #"a\b"#])
        #expect(scanner.restOfLine() == #"\echo x \\ select 1;"#)
        var separator = SlashArgumentReader(#"x \\ select 1;"#)
        _ = try separator.remaining(evaluate: true, resolve: resolve)
        #expect(separator.restOfLine() == " select 1;")
        #expect(SlashArgumentReader.splitAtNextCommand("a b").rest == nil)
        #expect(SlashArgumentReader.splitAtNextCommand(#"a "b\c" \endif"#) == (#"a "b\c" "#, #"\endif"#))
    }

    @Test func backquotesAreRefusedWhenEvaluated() throws {
        #expect(throws: SlashArgumentReader.Problem.backquote) { try arguments("`echo true`") }
        #expect(try arguments("`echo true`", evaluate: false) == ["echo true"])
        #expect(throws: SlashArgumentReader.Problem.unterminatedQuote) { try arguments("'open") }
    }

    @Test func pipeTarget() {
        #expect(SlashArgumentReader("  |cat -n").nextIsPipe)
        #expect(!SlashArgumentReader("file |cat").nextIsPipe)
    }

    @Test func crosstabColumnNamesFoldAsPsql() {
        #expect(Crosstab.dequoted("Name") == "name")
        #expect(Crosstab.dequoted(#""Name""#) == "Name")
        #expect(Crosstab.dequoted(#"A"B""C"d"#) == #"aB"Cd"#)
    }
}
