import Testing
@testable import CurateShell

private func words(_ text: String, _ values: [String: String] = [:]) throws -> [String] {
    try ArgumentTokenizer.split(text, line: 1) { reference in
        guard let value = values[reference.name] else { return nil }
        switch reference.quoting {
        case .none: return value
        case .literal: return "'" + value + "'"
        case .identifier: return "\"" + value + "\""
        case .existence: return "TRUE"
        }
    }
}

@Suite struct ArgumentTokenizerTests {
    @Test func whitespaceSeparatesWords() throws {
        #expect(try words("  a  b\tc\r\n d  ") == ["a", "b", "c", "d"])
        #expect(try words("") == [])
        #expect(try words(" \t ") == [])
        #expect(try words("héllo wörld 🎉") == ["héllo", "wörld", "🎉"])
    }

    @Test func singleQuotesAreLiteral() throws {
        #expect(try words(#"'a b' 'c\d' 'x"y' ':v'"#, ["v": "no"]) == ["a b", #"c\d"#, #"x"y"#, ":v"])
    }

    @Test func doubleQuotesAllowEscapedQuoteAndBackslashOnly() throws {
        #expect(try words(#""a \"b\" \\ \n" "it's" ":v""#, ["v": "no"]) == [#"a "b" \ \n"#, "it's", ":v"])
    }

    @Test func aBareBackslashEscapesTheNextCharacter() throws {
        #expect(try words(#"a\ b \'q\' \\ \"x\""#) == ["a b", "'q'", #"\"#, #""x""#])
        #expect(try words(#"\é"#) == ["é"])
        // At the very end it stands for itself.
        #expect(try words(#"a\"#) == [#"a\"#])
    }

    @Test func emptyQuotesMakeEmptyArguments() throws {
        #expect(try words("''") == [""])
        #expect(try words(#"'' """#) == ["", ""])
        #expect(try words("x '' y") == ["x", "", "y"])
        #expect(try words("a''b") == ["ab"])
    }

    @Test func adjacentPartsMakeOneWord() throws {
        #expect(try words(#"pre'mid dle'"po st"end"#) == ["premid dlepo stend"])
    }

    @Test(arguments: ["'abc", #""abc"#, #""abc\""#, #"ok 'fine' "still open"#])
    func anUnterminatedQuoteThrows(text: String) {
        do {
            let result = try ArgumentTokenizer.split(text, line: 7) { _ in nil }
            Issue.record("expected an error, got \(result)")
        } catch {
            #expect(error == SplitterError(message: "unterminated quoted string", line: 7))
        }
    }

    @Test func unquotedVariablesAreInterpolated() throws {
        #expect(try words(#":x :'x' :"x" :nope :'nope' pre:x a::b \:x"#, ["x": "a b"])
            == ["a b", "'a b'", #""a b""#, ":nope", ":'nope'", "prea b", "a::b", ":x"])
    }

    @Test func theResolverSeesEachReferenceOnce() throws {
        var seen: [VariableReference] = []
        let result = try ArgumentTokenizer.split(#":a ':b' ":c" :'d' :"e""#, line: 1) { reference in
            seen.append(reference)
            return nil
        }
        #expect(result == [":a", ":b", ":c", ":'d'", #":"e""#])
        #expect(seen == [
            VariableReference(name: "a", quoting: .none),
            VariableReference(name: "d", quoting: .literal),
            VariableReference(name: "e", quoting: .identifier),
        ])
    }
}
