import CurateKit
import Foundation

/// What psql's ECHO, QUIET, SINGLELINE and SINGLESTEP variables do (set with `\set`, `-v`, or
/// the options `-a -b -e -q -s -S`). ECHO_HIDDEN is read by `describeQuery`.
enum PsqlVariableEffects {

    /// A psql boolean variable: unset is off, an empty value is on (psql's hook turns `\set X`
    /// into `on`).
    static func isOn(_ value: String?) -> Bool {
        guard let value else { return false }
        if value.isEmpty { return true }
        return Variables.parseBool(value) ?? false
    }

    /// psql's ECHO values (case-insensitive); anything else is `none`.
    enum Echo {
        case none, errors, queries, all

        init(_ value: String?) {
            switch value?.lowercased() {
            case "errors": self = .errors
            case "queries": self = .queries
            case "all": self = .all
            default: self = .none
            }
        }
    }
}

extension Shell {
    /// psql's QUIET: no command tags, no "Timing is on." and similar confirmations.
    var isQuiet: Bool { variableSettings.quiet }

    var echo: PsqlVariableEffects.Echo { variableSettings.echo }

    /// A line of input is about to be read: ECHO=all prints it (scripts only, as psql). psql
    /// passes over an empty line before echoing it, unless it is inside a quoted string or a
    /// comment.
    func echoInputLine(_ text: String, in frame: InputFrame) {
        // (A `-c` string is echoed whole by `runCommandString`.)
        if !frame.isInteractive, echo == .all, !(frame.source is StringInput) {
            if text.isEmpty {
                switch frame.splitter.openConstruct {
                case .none, .parenthesis: return
                default: break
                }
            }
            console.printToStandardOutput(text)
        }
    }

    /// A query is about to be sent: ECHO=queries prints it; SINGLESTEP shows it and asks first
    /// (psql's words; `x` cancels it). Returns false when it must not be sent.
    func confirmSending(_ query: String) -> Bool {
        let flags = variableSettings
        if flags.singleStep {
            console.flush()
            console.printToStandardOutput(
                "***(Single step mode: verify command)*******************************************\n" + query
                    + "\n***(press return to proceed or enter x and return to cancel)********************")
            if let answer = readLine(strippingNewline: false), answer.hasPrefix("x") { return false }
            return true
        }
        if flags.echo == .queries {
            console.printToStandardOutput(query)
        }
        return true
    }

    /// A query failed: ECHO=errors prints it after the error, as psql's `STATEMENT:` line.
    func echoFailedQuery(_ query: String?, location: String) {
        guard echo == .errors, let query else { return }
        console.printError(location + "STATEMENT:  " + query)
    }

    /// A `-c` string, as psql 15 runs it: one starting with a backslash is read as backslash
    /// commands; anything else goes to the server as one query string, uninterpolated (several
    /// statements in it run in one implicit transaction, and every result is printed).
    func runCommandString(_ text: String) {
        // A -c string locates no message (psql's rule): it has no name.
        let source = StringInput(text, name: "")
        if text.hasPrefix("\\") {
            // psql echoes the string without its backslash here.
            if echo == .all { console.printToStandardOutput(String(text.dropFirst())) }
            process(source, interactive: false)
            return
        }
        if echo == .all { console.printToStandardOutput(text) }
        _ = source.nextLine(prompt: "")
        execute(.statement(SQLStatement(text: text, firstLine: 1)), in: InputFrame(source: source, isInteractive: false))
    }
}
