import Foundation
import Testing
@testable import CurateShell

/// psql's reading of backslash-command arguments (psqlscanslash), one kind of argument at a time.
@Suite("Backslash-command arguments as psql reads them")
struct SlashOptionScannerTests {
    private func scanner(_ text: String, variables: [String: String] = [:], reports: ReportLog = ReportLog()) -> SlashOptionScanner {
        SlashOptionScanner(
            text,
            resolve: { reference in
                guard let value = variables[reference.name] else { return nil }
                switch reference.quoting {
                case .none: return value
                case .literal: return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
                case .identifier: return "\"" + value + "\""
                case .existence: return "TRUE"
                }
            },
            runBackquoted: { "<" + $0 + ">" },
            report: { reports.messages.append($0) }
        )
    }

    final class ReportLog: @unchecked Sendable { var messages: [String] = [] }

    private func words(_ text: String, variables: [String: String] = [:]) -> [String] {
        var scanner = scanner(text, variables: variables)
        var result: [String] = []
        while let option = scanner.next() { result.append(option.value) }
        return result
    }

    @Test("single quotes take psql's escapes and '' for a quote; double quotes are kept")
    func quoting() {
        #expect(words(#"'a\tb' 'it''s' '\101\x41\q\n' "x y" a"b c"d"#) == ["a\tb", "it's", "AAq\n", "\"x y\"", "a\"b c\"d"])
        #expect(words("''") == [""])
    }

    @Test("variables outside quotes only; unknown ones stay as written; :{?name} tests")
    func variables() {
        #expect(words(":v :'v' :\"v\" :{?v} :{?w} :w ':v' x:v::", variables: ["v": "it's"])
            == ["it's", "'it''s'", "\"it's\"", "TRUE", "FALSE", ":w", ":v", "xit's::"])
    }

    @Test("backquotes run a command: :var as is, :'var' quoted for the shell, :\"var\" untouched")
    func backquotes() {
        #expect(words("a`echo :v :'v' :\"v\"`b", variables: ["v": "it's"]) == ["a<echo it's 'it'\"'\"'s' :\"v\">b"])
        #expect(words("`x :'v'`", variables: ["v": "safe-1.0/x"]) == ["<x safe-1.0/x>"])
    }

    @Test("the quote an argument began with is known: \\echo '-n' prints -n")
    func quoteKind() {
        var scanner = scanner("-n '-n' \"-n\" `x`")
        #expect(scanner.next()?.quote == nil)
        #expect(scanner.next()?.quote == "'")
        #expect(scanner.next()?.quote == "\"")
        #expect(scanner.next()?.quote == "`")
    }

    @Test("file-or-pipe and whole-line arguments take the rest of the line as written")
    func restOfLine() {
        var pipe = scanner("  |cat -n 'x'  ")
        #expect(pipe.next(.filePipe)?.value == "|cat -n 'x'")
        var file = scanner("'my file' extra")
        #expect(file.next(.filePipe)?.value == "my file")
        #expect(file.remaining() == ["extra"])
        var line = scanner("echo $HOME ; :v  ")
        #expect(line.next(.wholeLine)?.value == "echo $HOME ; :v")
    }

    @Test("a trailing ; is dropped when asked, from the unquoted part only")
    func semicolons() {
        var plain = scanner("on;; 'x;';")
        #expect(plain.next(semicolon: true)?.value == "on")
        #expect(plain.next(semicolon: true)?.value == "x;")
    }

    @Test("an unterminated quote is reported and ends the arguments")
    func unterminated() {
        let log = ReportLog()
        var scanner = scanner("a \"b c", reports: log)
        #expect(scanner.next()?.value == "a")
        #expect(scanner.next() == nil)
        #expect(log.messages == ["unterminated quoted string"])
        #expect(scanner.remaining() == [])
    }

    @Test("an unquoted backslash ends the arguments; what follows is the remainder")
    func backslashEnds() {
        var line = scanner(#"a 'b\\c' d\e f \\ select 1"#)
        #expect(line.next()?.value == "a")
        #expect(line.next()?.value == "b\\c")
        #expect(line.next()?.value == "d")
        #expect(line.next() == nil)
        #expect(line.remainder == #"\e f \\ select 1"#)
        var whole = scanner(#"echo \\ x"#)
        #expect(whole.next(.wholeLine)?.value == #"echo \\ x"#)
        #expect(whole.remainder == nil)
    }

    @Test("left-over words are read without running or interpolating anything")
    func leftOvers() {
        var scanner = scanner("x `rm -rf` :v 'q'", variables: ["v": "1"])
        _ = scanner.next()
        #expect(scanner.remaining() == ["rm -rf", ":v", "q"])
    }

    @Test("without evaluation, references stay as written: :'v' keeps its quotes, :{?v} is not tested")
    func unevaluatedReferences() {
        var scanner = scanner(":v :'v' :\"v\" :{?v} `echo :v`", variables: ["v": "1"])
        #expect(scanner.remaining() == [":v", ":'v'", ":\"v\"", ":{?v}", "echo :v"])
    }

    @Test("an unset variable stays as written, :'name' with its quotes")
    func unsetVariables() {
        #expect(words(":nope :'nope' :\"nope\" x::y") == [":nope", ":'nope'", ":\"nope\"", "x::y"])
    }

    @Test("an unterminated quote is kept as the problem that ended the arguments")
    func problem() {
        var open = scanner("'open")
        #expect(open.next() == nil)
        #expect(open.problem == "unterminated quoted string")
        var quiet = scanner("x 'open")
        #expect(quiet.remaining() == ["x"])
        #expect(quiet.problem == nil)
    }

    @Test("the next command: after an unquoted backslash, psql's \\\\ separator dropped")
    func nextCommand() {
        var line = scanner(#"true 'a\\b' \echo x \\ select 1;"#)
        #expect(line.remaining() == ["true", #"a\b"#])
        #expect(line.nextCommand == #"\echo x \\ select 1;"#)
        var separator = scanner(#"x \\ select 1;"#)
        _ = separator.remaining()
        #expect(separator.nextCommand == " select 1;")
        var bare = scanner(#"x \\"#)
        _ = bare.remaining()
        #expect(bare.nextCommand == nil)
    }

    @Test("a command's arguments are cut where psql's end")
    func splitAtNextCommand() {
        #expect(SlashOptionScanner.splitAtNextCommand("a b") == ("a b", nil))
        #expect(SlashOptionScanner.splitAtNextCommand(#"a "b\c" \endif"#) == (#"a "b\c" "#, #"\endif"#))
        #expect(SlashOptionScanner.splitAtNextCommand("'open \\x").rest == nil)
    }

    @Test("a pipe target is seen before it is read")
    func pipeTarget() {
        #expect(SlashOptionScanner(unevaluated: "  |cat -n").nextIsPipe)
        #expect(!SlashOptionScanner(unevaluated: "file |cat").nextIsPipe)
    }

    @Test("crosstab column names fold as psql folds them")
    func crosstabColumnNames() {
        #expect(Crosstab.dequoted("Name") == "name")
        #expect(Crosstab.dequoted(#""Name""#) == "Name")
        #expect(Crosstab.dequoted(#"A"B""C"d"#) == #"aB"Cd"#)
    }
}
