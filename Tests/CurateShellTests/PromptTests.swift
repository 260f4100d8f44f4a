import CurateKit
import Testing
@testable import CurateShell

@Suite("Prompt")
struct PromptTests {
    let info = ConnectionInfo(
        database: "fitsdata", user: "curator", host: "/tmp/sock", hostAddress: nil, port: "5432",
        serverVersion: 150018, serverVersionString: "15.18", isSuperuser: false, backendPID: 1, usesSSL: false
    )

    @Test("psql's default prompt shows the transaction state", arguments: [
        (TransactionState.idle, "curator@fitsdata=> "),
        (.inTransaction, "curator@fitsdata=*> "),
        (.failed, "curator@fitsdata=!> "),
    ])
    func defaultPrompt(state: TransactionState, expected: String) {
        #expect(Prompt.expand(Prompt.defaultTemplate, info: info, state: state, open: nil, connected: true) == expected)
    }

    @Test("a superuser gets #")
    func superuser() {
        var info = info
        info.isSuperuser = true
        #expect(Prompt.expand(Prompt.defaultTemplate, info: info, state: .idle, open: nil, connected: true) == "curator@fitsdata=# ")
    }

    @Test("the continuation prompt shows what is open", arguments: [
        (OpenConstruct.none, "curator@fitsdata-> "),
        (.singleQuote, "curator@fitsdata'> "),
        (.doubleQuote, "curator@fitsdata\"> "),
        (.dollarQuote(tag: "fn"), "curator@fitsdata$> "),
        (.blockComment, "curator@fitsdata*> "),
        (.parenthesis, "curator@fitsdata(> "),
    ])
    func continuation(open: OpenConstruct, expected: String) {
        #expect(Prompt.expand(Prompt.defaultTemplate, info: info, state: .idle, open: open, connected: true) == expected)
    }

    @Test("escapes for user, host, port and a literal percent")
    func escapes() {
        #expect(Prompt.expand("%n@%/ %m:%> 100%% ", info: info, state: .idle, open: nil, connected: true) == "curator@fitsdata [local]:5432 100% ")
    }

    @Test("a read-only session is marked")
    func readOnly() {
        #expect(Prompt.expand(Prompt.defaultTemplate, info: info, state: .idle, open: nil, connected: true, readOnly: true) == "curator@fitsdata[ro]=> ")
    }

    @Test("a lost connection shows in the prompt")
    func disconnected() {
        #expect(Prompt.expand(Prompt.defaultTemplate, info: info, state: .unknown, open: nil, connected: false) == "curator@fitsdata!?> ")
    }

    @Test("psql's other escapes: %p, %l, %w, %:name:, %`command`, %[ %], octal, and an unknown escape prints its character")
    func otherEscapes() {
        var extras = Prompt.Extras()
        extras.lineInStatement = 3
        extras.lastFirstPromptWidth = 4
        extras.variable = { $0 == "site" ? "south" : nil }
        extras.runCommand = { $0 == "echo hi" ? "hi" : "?" }
        let expanded = Prompt.expand(
            "%p|%l|%w|%:site:|%:nothing:|%`echo hi`|%[%033[1m%]x|%101%q", info: info, state: .idle, open: nil,
            connected: true, extras: extras)
        #expect(expanded == "1|3|    |south||hi|\u{1B}[1mx|Aq")
    }
}

@Suite("Timing")
struct StatementTimingTests {
    @Test("psql's \\timing format")
    func format() {
        #expect(StatementTiming.format(milliseconds: 0.5) == "Time: 0.500 ms")
        #expect(StatementTiming.format(milliseconds: 12.3456) == "Time: 12.346 ms")
        #expect(StatementTiming.format(milliseconds: 61_234.6) == "Time: 61234.600 ms (01:01.235)")
        #expect(StatementTiming.format(milliseconds: 3_723_000) == "Time: 3723000.000 ms (01:02:03.000)")
    }
}
