import Testing
@testable import CurateShell

private func noVariables(_ reference: VariableReference) -> String? { nil }

/// A resolver over fixed values, quoting the way the shell will (`'` and `"` doubled).
private func variables(_ values: [String: String]) -> VariableResolver {
    { reference in
        guard let value = values[reference.name] else { return nil }
        switch reference.quoting {
        case .none: return value
        case .literal: return "'" + value.replacing("'", with: "''") + "'"
        case .identifier: return "\"" + value.replacing("\"", with: "\"\"") + "\""
        case .existence: return "TRUE"
        }
    }
}

/// Feeds `lines`, numbered from `firstLineNumber`, and returns every item they complete.
private func feed(
    _ lines: [String], into splitter: inout StatementSplitter, from firstLineNumber: Int = 1,
    resolve: VariableResolver = noVariables
) -> [InputItem] {
    var items: [InputItem] = []
    for (offset, line) in lines.enumerated() {
        items += splitter.feed(line: line, lineNumber: firstLineNumber + offset, resolve: resolve)
    }
    return items
}

private func feed(_ lines: [String], resolve: VariableResolver = noVariables) -> [InputItem] {
    var splitter = StatementSplitter()
    return feed(lines, into: &splitter, resolve: resolve)
}

private func texts(_ items: [InputItem]) -> [String] {
    items.compactMap { item in
        if case .statement(let statement) = item { return statement.text }
        return nil
    }
}

private func statement(_ text: String, line: Int) -> InputItem {
    .statement(SQLStatement(text: text, firstLine: line))
}

private func command(_ name: String, _ arguments: String = "", line: Int) -> InputItem {
    .command(CommandInvocation(name: name, argumentText: arguments, line: line))
}

@Suite struct StatementSplitterTests {
    // MARK: Statement ends

    @Test func severalStatementsOnOneLineComeOutInOrder() {
        var splitter = StatementSplitter()
        let items = feed(["select 1; select 2;select 3;   "], into: &splitter)
        #expect(items == [statement("select 1;", line: 1), statement("select 2;", line: 1), statement("select 3;", line: 1)])
        #expect(splitter.bufferIsEmpty)
        #expect(splitter.buffer == "")
    }

    @Test func anEmptyStatementIsPassedOnLikePsqlDoes() {
        #expect(texts(feed(["select 1;;"])) == ["select 1;", ";"])
    }

    @Test func singleQuotedStringsHideSemicolons() {
        #expect(texts(feed(["select 'a;b', 'it''s; fine', '';"])) == ["select 'a;b', 'it''s; fine', '';"])
        // Standard strings: a backslash is an ordinary character, so 'a\' is a whole string.
        #expect(texts(feed([#"select 'a\'; select 2;"#])) == [#"select 'a\';"#, "select 2;"])
        // B'', X'', N'' and U&'' are standard strings too.
        #expect(texts(feed([#"select b'1;0', X'F;', n'x\', U&'d;'; select 2;"#]))
            == [#"select b'1;0', X'F;', n'x\', U&'d;';"#, "select 2;"])
    }

    @Test func escapeStringsTakeBackslashEscapes() {
        #expect(texts(feed([#"select E'\'; still inside', e'\\'; select 2;"#]))
            == [#"select E'\'; still inside', e'\\';"#, "select 2;"])
        // An `e` that ends an identifier is not a prefix: name'\' is an identifier then a standard string.
        #expect(texts(feed([#"select name'\'; select 2;"#])) == [#"select name'\';"#, "select 2;"])
        // A quote doubled inside an E string, and one spanning lines.
        var splitter = StatementSplitter()
        #expect(feed([#"select E'x''\'"#], into: &splitter).isEmpty)
        #expect(splitter.openConstruct == .singleQuote)
        #expect(texts(feed(["y';"], into: &splitter, from: 2)) == ["select E'x''\\'\ny';"])
    }

    @Test func withoutStandardConformingStringsABackslashEscapesInPlainStrings() {
        var splitter = StatementSplitter()
        splitter.standardConformingStrings = false
        #expect(texts(feed([#"select 'a\'; still inside', n'\'; x'; select 2;"#], into: &splitter))
            == [#"select 'a\'; still inside', n'\'; x';"#, "select 2;"])
        // B'', X'' and U&'' never take escapes (psql's lexer: xb, xh and xus have no backslash rule).
        #expect(texts(feed([#"select b'1\'; select 2;"#], into: &splitter)) == [#"select b'1\';"#, "select 2;"])
        #expect(texts(feed([#"select U&' \' UESCAPE '!' as x; select 2;"#], into: &splitter))
            == [#"select U&' \' UESCAPE '!' as x;"#, "select 2;"])
        splitter.standardConformingStrings = true
        #expect(texts(feed([#"select 'a\'; select 2;"#], into: &splitter)) == [#"select 'a\';"#, "select 2;"])
    }

    @Test func aCommandNameEndsAtABackslash() {
        // psql's lexer: `\a\t` is `\a` with `\t` after it, which the shell reads next.
        #expect(feed([#"\a\t"#]) == [command("a", #"\t"#, line: 1)])
        #expect(feed([#"\\"#]) == [command(#"\"#, line: 1)])
    }

    @Test func dollarQuotesWithTagsHideSemicolonsAndOtherTags() {
        var splitter = StatementSplitter()
        #expect(feed(["create function f() returns int as $fn$"], into: &splitter).isEmpty)
        #expect(splitter.openConstruct == .dollarQuote(tag: "fn"))
        #expect(feed(["  select 1; $$ not the end; $f$;"], into: &splitter, from: 2).isEmpty)
        #expect(splitter.openConstruct == .dollarQuote(tag: "fn"))
        let items = feed(["  $fn$ language sql;"], into: &splitter, from: 3)
        #expect(items == [statement("create function f() returns int as $fn$\n  select 1; $$ not the end; $f$;\n  $fn$ language sql;", line: 1)])

        #expect(texts(feed(["select $$a;b$$, $$;$$;"])) == ["select $$a;b$$, $$;$$;"])
        let empty = StatementSplitter()
        #expect(empty.openConstruct == .none)
        var untagged = StatementSplitter()
        _ = feed(["select $$"], into: &untagged)
        #expect(untagged.openConstruct == .dollarQuote(tag: ""))
    }

    @Test func dollarSignsThatAreNotQuotesFollowPsqlsRules() {
        // $1 is a parameter; `$` inside an identifier is part of it; a tag cannot start with a digit;
        // `$x` with no closing `$` is not a delimiter.
        #expect(texts(feed(["select $1; select a$b$c; select $1a$; select $x; select 2;"]))
            == ["select $1;", "select a$b$c;", "select $1a$;", "select $x;", "select 2;"])
        // Tags may hold digits, underscores and non-ASCII letters after the first character.
        #expect(texts(feed(["select $a_1$;$a_1$, $é$;$é$;"])) == ["select $a_1$;$a_1$, $é$;$é$;"])
        // `$delim$ ... $junk$delim$`: the last `$` of a wrong tag may open the right one.
        #expect(texts(feed(["select $q$ $$ $qq$ $xq$q$; select 2;"])) == ["select $q$ $$ $qq$ $xq$q$;", "select 2;"])
    }

    @Test func blockCommentsNest() {
        #expect(texts(feed(["select /* outer /* inner; */ still comment; */ 1;"]))
            == ["select /* outer /* inner; */ still comment; */ 1;"])
        var splitter = StatementSplitter()
        #expect(feed(["select 1 /* a /* b */"], into: &splitter).isEmpty)
        #expect(splitter.openConstruct == .blockComment)
        #expect(feed(["; **/ ;"], into: &splitter, from: 2) == [statement("select 1 /* a /* b */\n; **/ ;", line: 1)])
        // A block comment starts the statement's text (psql sends it), unlike `--` comments.
        #expect(feed(["/* header */ select 1;"]) == [statement("/* header */ select 1;", line: 1)])
    }

    @Test func quotedIdentifiersHideSemicolons() {
        #expect(texts(feed([#"select "a;b", "say ""hi"";" from "t;"; select 2;"#]))
            == [#"select "a;b", "say ""hi"";" from "t;";"#, "select 2;"])
        var splitter = StatementSplitter()
        _ = feed([#"select "col;"#], into: &splitter)
        #expect(splitter.openConstruct == .doubleQuote)
        #expect(texts(feed([#"umn"" x";"#], into: &splitter, from: 2)) == ["select \"col;\numn\"\" x\";"])
    }

    @Test func semicolonsInsideParenthesesDoNotEndTheStatement() {
        #expect(texts(feed(["create rule r as on insert to t do also (insert into a values (1); insert into b values (2)); select 2;"]))
            == ["create rule r as on insert to t do also (insert into a values (1); insert into b values (2));", "select 2;"])
        var splitter = StatementSplitter()
        #expect(feed(["select (1;"], into: &splitter).isEmpty)
        #expect(splitter.openConstruct == .parenthesis)
        _ = feed(["select /*"], into: &splitter, from: 2)
        #expect(splitter.openConstruct == .blockComment)
        #expect(texts(feed(["*/ 2);"], into: &splitter, from: 3)) == ["select (1;\nselect /*\n*/ 2);"])
        #expect(splitter.openConstruct == .none)
        // A stray `)` does not make the depth negative.
        #expect(texts(feed(["select 1); select 2;"])) == ["select 1);", "select 2;"])
    }

    @Test func multiLineStatementsKeepTheirNewlinesAndFirstLine() {
        let items = feed([
            "",
            "-- leading comment",
            "   ",
            "  select a,",
            "",
            "  b -- trailing; comment",
            "  from t;",
            "select 2; select",
            "3;",
        ])
        #expect(items == [
            statement("select a,\n\n  b -- trailing; comment\n  from t;", line: 4),
            statement("select 2;", line: 8),
            statement("select\n3;", line: 8),
        ])
    }

    // MARK: Backslash commands

    @Test func backslashCommandMidBufferLeavesTheSQLPending() {
        var splitter = StatementSplitter()
        #expect(feed(["select 1"], into: &splitter).isEmpty)
        #expect(feed(["\\echo hi there"], into: &splitter, from: 2) == [command("echo", "hi there", line: 2)])
        // A line holding only the command leaves the buffer as it was.
        #expect(splitter.buffer == "select 1")
        #expect(feed(["   \\echo again"], into: &splitter, from: 3) == [command("echo", "again", line: 3)])
        #expect(splitter.buffer == "select 1")
        #expect(feed([";"], into: &splitter, from: 4) == [statement("select 1\n;", line: 1)])
    }

    @Test func backslashCommandAfterSQLOnTheSameLine() {
        var splitter = StatementSplitter()
        let items = feed(["select 1; select 2 \\g"], into: &splitter)
        #expect(items == [statement("select 1;", line: 1), command("g", line: 1)])
        #expect(splitter.buffer == "select 2 ")
        #expect(splitter.takeBuffer() == SQLStatement(text: "select 2 ", firstLine: 1))
    }

    @Test func commandNamesRunToWhitespaceAndTheRestIsRawArgumentText() {
        #expect(feed(["\\dt+ public.*"]) == [command("dt+", "public.*", line: 1)])
        #expect(feed(["\\?"]) == [command("?", line: 1)])
        #expect(feed(["\\echo   a  'b c' \\\\ :x  "]) == [command("echo", "a  'b c' \\\\ :x  ", line: 1)])
        #expect(feed(["\\"]) == [command("", line: 1)])
        // Not a command inside a string or a comment.
        #expect(texts(feed([#"select 'a\b', /* \x */ 1; -- \q"#])) == [#"select 'a\b', /* \x */ 1;"#])
    }

    @Test func backslashSemicolonAndColonAreInsertedLiterally() {
        var calls: [VariableReference] = []
        let items = feed([#"select 1 \; select \:x;"#]) { reference in
            calls.append(reference)
            return "5"
        }
        #expect(texts(items) == ["select 1 ; select :x;"])
        #expect(calls.isEmpty)
    }

    // MARK: Buffer control

    @Test func takeBufferReturnsThePendingTextAndResetsTheScanner() {
        var splitter = StatementSplitter()
        _ = feed(["select (1,", "  2"], into: &splitter, from: 5)
        #expect(splitter.openConstruct == .parenthesis)
        #expect(!splitter.bufferIsEmpty)
        #expect(splitter.takeBuffer() == SQLStatement(text: "select (1,\n  2", firstLine: 5))
        #expect(splitter.bufferIsEmpty)
        #expect(splitter.openConstruct == .none)
        #expect(splitter.takeBuffer() == nil)
        #expect(texts(feed(["select 3;"], into: &splitter, from: 7)) == ["select 3;"])
    }

    @Test func clearBufferForgetsAnOpenQuote() {
        var splitter = StatementSplitter()
        _ = feed(["select 'abc"], into: &splitter)
        #expect(splitter.openConstruct == .singleQuote)
        splitter.clearBuffer()
        #expect(splitter.bufferIsEmpty)
        #expect(splitter.openConstruct == .none)
        #expect(feed(["select 1;"], into: &splitter, from: 2) == [statement("select 1;", line: 2)])
    }

    @Test func bufferIsEmptyIgnoresWhitespaceAndDashComments() {
        var splitter = StatementSplitter()
        _ = feed(["   ", "-- nothing yet", "\t-- still nothing"], into: &splitter)
        #expect(splitter.bufferIsEmpty)
        _ = feed(["select"], into: &splitter, from: 4)
        #expect(!splitter.bufferIsEmpty)
    }

    // MARK: End of input

    @Test func finishReturnsAFinalStatementWithoutSemicolon() throws {
        var splitter = StatementSplitter()
        #expect(feed(["select 1;", "select 2", "  -- done"], into: &splitter) == [statement("select 1;", line: 1)])
        #expect(try splitter.finish() == SQLStatement(text: "select 2\n  -- done", firstLine: 2))
        #expect(try splitter.finish() == nil)

        var blank = StatementSplitter()
        _ = feed(["-- only a comment", "   "], into: &blank)
        #expect(try blank.finish() == nil)
    }

    @Test(arguments: [
        ("select 'abc", "unterminated quoted string at end of input", OpenConstruct.singleQuote),
        (#"select E'abc\'"#, "unterminated quoted string at end of input", .singleQuote),
        (#"select "abc"#, "unterminated quoted identifier at end of input", .doubleQuote),
        ("select $x$abc $y$", "unterminated dollar-quoted string at end of input", .dollarQuote(tag: "x")),
        ("select /* a /* b */", "unterminated /* comment at end of input", .blockComment),
    ])
    func finishThrowsWhenSomethingIsStillOpen(text: String, message: String, construct: OpenConstruct) {
        var splitter = StatementSplitter()
        _ = feed(["select 1;", text, "more; text"], into: &splitter)
        #expect(splitter.openConstruct == construct)
        do {
            _ = try splitter.finish()
            Issue.record("finish() should have thrown")
        } catch {
            #expect(error == SplitterError(message: message, line: 2))
        }
        // The splitter is usable again afterwards.
        #expect(splitter.bufferIsEmpty)
        #expect(splitter.openConstruct == .none)
        #expect(texts(feed(["select 2;"], into: &splitter, from: 4)) == ["select 2;"])
    }

    // MARK: Variables

    @Test func allThreeFormsAreInterpolatedAndUndefinedOnesLeftAlone() {
        var calls: [VariableReference] = []
        let values = variables(["x": "42", "tbl": "my \"table\"", "s": "it's"])
        let items = feed([#"select :x, :'s', :"tbl", :undefined, :'nope', :"nope", x::int, a:::x, arr[1:2];"#]) { reference in
            calls.append(reference)
            return values(reference)
        }
        #expect(texts(items) == [#"select 42, 'it''s', "my ""table""", :undefined, :'nope', :"nope", x::int, a::42, arr[1:2];"#])
        #expect(calls == [
            VariableReference(name: "x", quoting: .none),
            VariableReference(name: "s", quoting: .literal),
            VariableReference(name: "tbl", quoting: .identifier),
            VariableReference(name: "undefined", quoting: .none),
            VariableReference(name: "nope", quoting: .literal),
            VariableReference(name: "nope", quoting: .identifier),
            VariableReference(name: "x", quoting: .none),
            VariableReference(name: "2", quoting: .none),
        ])
    }

    @Test func substitutedTextIsNotScannedAgain() {
        let resolve = variables(["q": "  select 1; select '", "n": "名前"])
        #expect(feed([":q;"], resolve: resolve) == [statement("select 1; select ';", line: 1)])
        #expect(texts(feed(["select :名前;"], resolve: variables(["名前": "7"]))) == ["select 7;"])
    }

    @Test func noInterpolationInsideQuotesOrComments() {
        var calls = 0
        let items = feed([#"select ':x', ":x", E':x', $$:x$$, $t$:x$t$, /* :x */ 1 -- :x"#, ";"]) { _ in
            calls += 1
            return "BAD"
        }
        #expect(texts(items) == ["select ':x', \":x\", E':x', $$:x$$, $t$:x$t$, /* :x */ 1 -- :x\n;"])
        #expect(calls == 0)
    }

    // MARK: Function bodies

    @Test func beginAtomicBodiesOfFunctionsKeepTheirSemicolons() {
        let items = feed([
            "create or replace function f() returns int language sql",
            "begin atomic",
            "  select 1;",
            "  select case when true then 2 end;",
            "end;",
            "select 3;",
        ])
        #expect(items == [
            statement("create or replace function f() returns int language sql\nbegin atomic\n  select 1;\n  select case when true then 2 end;\nend;", line: 1),
            statement("select 3;", line: 6),
        ])
        // BEGIN outside a function definition is a transaction.
        #expect(texts(feed(["begin; select 1; end;"])) == ["begin;", "select 1;", "end;"])
        #expect(texts(feed(["create procedure p() begin atomic insert into t values (1); end; commit;"]))
            == ["create procedure p() begin atomic insert into t values (1); end;", "commit;"])
    }

    // MARK: Robustness

    /// Found by the splitter fuzzer (Fuzz/Corpus/splitter/regression-prepended-mark-before-semicolon): U+06DD
    /// ARABIC END OF AYAH is a prepended concatenation mark, so it and the `;` after it make one Character.
    /// The splitter works on bytes and ends the statement at that `;` all the same; its text ends with the
    /// `;` byte although `hasSuffix(";")`, which compares Characters, is false.
    @Test func aSemicolonAfterAPrependedMarkStillEndsTheStatement() throws {
        let items = feed(["SELECT 'x'\u{06DD}; SELECT \u{06DD}\u{0}$t\u{FFFD}\r"])
        #expect(texts(items) == ["SELECT 'x'\u{06DD};"])
        #expect(texts(items).first?.utf8.last == UInt8(ascii: ";"))
        #expect(texts(items).first?.hasSuffix(";") == false)
    }

    @Test func nonASCIIAndControlCharactersNeverCrash() throws {
        #expect(texts(feed(["select 'héllo;', \"ünï;code\", 🎉, \u{0}\u{1}\u{7F};"]))
            == ["select 'héllo;', \"ünï;code\", 🎉, \u{0}\u{1}\u{7F};"])

        // Pseudo-random lines over the characters that matter: whatever happens, every statement ends with `;`,
        // and finish() leaves the splitter empty.
        let pool: [String] = ["'", "\"", "$", "$a$", "/*", "*/", "-", "--", "\\", ":", "::", ":'", ":\"", ";", "(", ")",
                              "E'", "x", "1", " ", "\t", "\r", "é", "🎉", "\u{0}", "\n"]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        var splitter = StatementSplitter()
        for lineNumber in 1...2_000 {
            var line = ""
            for _ in 0..<Int(seed % 40) {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                line += pool[Int((seed >> 33) % UInt64(pool.count))]
            }
            for item in splitter.feed(line: line, lineNumber: lineNumber, resolve: { $0.name.count % 2 == 0 ? "v" : nil }) {
                if case .statement(let statement) = item {
                    #expect(statement.text.hasSuffix(";"))
                    #expect(statement.firstLine <= lineNumber)
                }
            }
            if lineNumber % 97 == 0 {
                _ = try? splitter.finish()
                #expect(splitter.bufferIsEmpty)
                #expect(splitter.openConstruct == .none)
            }
        }
    }

    @Test func largeInputIsSplitCorrectly() throws {
        // A 1 MB single-line statement, with and without a long string literal.
        let list = "select " + String(repeating: "1,", count: 500_000) + "1;"
        let listItems = feed([list])
        #expect(listItems == [statement(list, line: 1)])

        let literal = "select '" + String(repeating: "x;", count: 500_000) + "'; select 2;"
        #expect(texts(feed([literal])).map(\.utf8.count) == [literal.utf8.count - 10, 9])

        // A 1 MB dollar quote full of other `$` tags.
        let dollars = "select $t$" + String(repeating: "$tt", count: 350_000) + "$t$;"
        #expect(texts(feed([dollars])) == [dollars])

        // 100,000 statements, one a line.
        var splitter = StatementSplitter()
        var statements: [SQLStatement] = []
        for number in 1...100_000 {
            for item in splitter.feed(line: "select \(number);", lineNumber: number, resolve: noVariables) {
                if case .statement(let statement) = item { statements.append(statement) }
            }
        }
        #expect(statements.count == 100_000)
        #expect(statements.first == SQLStatement(text: "select 1;", firstLine: 1))
        #expect(statements[49_999] == SQLStatement(text: "select 50000;", firstLine: 50_000))
        #expect(statements.last == SQLStatement(text: "select 100000;", firstLine: 100_000))
        #expect(try splitter.finish() == nil)

        // 100,000 statements on one line.
        let many = String(repeating: "select 1; ", count: 100_000)
        let manyItems = feed([many])
        #expect(manyItems.count == 100_000)
        #expect(manyItems.allSatisfy { $0 == statement("select 1;", line: 1) })
    }
}
