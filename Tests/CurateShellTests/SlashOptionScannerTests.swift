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
        #expect(scanner.remaining() == ["`rm -rf`", ":v", "q"])
    }
}
