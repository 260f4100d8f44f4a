import CurateKit

/// psql's special variables: the values psql accepts for each (its assignment hooks), what an
/// empty `\set NAME` or an `\unset NAME` turns into, psql's value at start and curate's, and
/// how far curate implements it. `\set`, `\unset`, `-v` and the user guide all read this table.
///
/// A value psql accepts but curate does not implement is refused with a message saying so,
/// never stored and ignored.
struct SpecialVariable: Sendable {
    /// The values psql accepts.
    enum Values: Sendable {
        /// on/off, true/false, yes/no, 1/0 (psql's `ParseVariableBool`); `\set NAME` means on,
        /// `\unset NAME` means off.
        case boolean
        /// One of `choices`, in any case; with `booleans`, a boolean too (`\set NAME` means on,
        /// `\unset NAME` means off).
        case choice([String], booleans: Bool)
        /// An integer; `\unset NAME` gives `unsetValue`.
        case integer(unsetValue: String)
        /// IGNOREEOF: an integer; anything else means 10, `\unset` means 0 (bash's rule).
        case eofCount
        /// Any text; `\unset` removes it.
        case text
        /// Set by the shell (connection, last result); the user may overwrite it, as in psql.
        case reported

        var isReported: Bool {
            if case .reported = self { return true }
            return false
        }
    }

    /// How far curate implements the variable.
    enum Support: Sendable {
        case implemented
        /// Only the values `allows` accepts (`accepted` names them), after psql's own validation;
        /// the others are refused with `reason` (what curate does instead).
        case only(accepted: String, allows: @Sendable (String) -> Bool, reason: String)
    }

    let name: String
    let values: Values
    /// psql 15's value at start (nil: not set).
    let psqlDefault: String?
    /// curate's value at start (nil: not set, or set by the shell once connected).
    let curateDefault: String?
    let support: Support
    /// One line for the user guide.
    let summary: String

    /// An error in psql's words (`unrecognized value "foo" for "ECHO"` ...) or curate's refusal.
    struct Refusal: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// What `\set NAME value` (`value` nil: `\unset NAME`) stores: the value itself, psql's
    /// substitute (`\unset AUTOCOMMIT` stores off), or nil to remove the variable. Throws when
    /// psql refuses the value or curate does not implement it; nothing is stored then.
    func assignment(of value: String?) throws(Refusal) -> String? {
        let stored: String?
        switch values {
        case .boolean:
            let given = value.map { $0.isEmpty ? "on" : $0 } ?? "off"
            guard Variables.parseBool(given) != nil else {
                throw Refusal(message: "unrecognized value \"\(given)\" for \"\(name)\": Boolean expected")
            }
            stored = given
        case .choice(let choices, let booleans):
            var given = value ?? (booleans ? "off" : psqlDefault ?? "")
            if booleans && given.isEmpty { given = "on" }
            let known = choices.contains { $0.caseInsensitiveCompare(given) == .orderedSame }
                || (booleans && Variables.parseBool(given) != nil)
            guard known else {
                let listed = booleans ? ["on", "off"] + choices : choices
                throw Refusal(message: "unrecognized value \"\(given)\" for \"\(name)\"\nAvailable values are: \(listed.joined(separator: ", ")).")
            }
            stored = given
        case .integer(let unsetValue):
            let given = value ?? unsetValue
            guard Int32(given) != nil else {
                throw Refusal(message: "invalid value \"\(given)\" for \"\(name)\": integer expected")
            }
            stored = given
        case .eofCount:
            guard let value else { stored = "0"; break }
            stored = Int32(value) != nil ? value : "10"
        case .text, .reported:
            stored = value
        }
        if case .only(_, let allows, let reason) = support, let stored, !allows(stored) {
            // \unset of a variable curate implements only in part goes back to curate's value.
            if value == nil, let curateDefault { return curateDefault }
            throw Refusal(message: "curate does not implement \(name) = '\(stored)': \(reason)")
        }
        return stored
    }

    /// The special variable `name`, or nil for an ordinary one.
    static func named(_ name: String) -> SpecialVariable? {
        table.first { $0.name == name }
    }

    /// The values set before anything runs (`\set` lists them), as psql sets its defaults.
    static func installDefaults(in variables: Variables) {
        for variable in table {
            if let value = variable.curateDefault { variables[variable.name] = value }
        }
    }

    /// The user guide's table of the special variables (a test keeps docs/user-guide.md equal to it).
    static var markdownTable: String {
        var lines = ["| Variable | psql 15 at start | curate at start | curate |", "|---|---|---|---|"]
        for variable in table {
            let support: String
            switch variable.support {
            case .implemented: support = variable.summary
            case .only(let accepted, _, let reason): support = "\(variable.summary); \(accepted) only, other values are refused: \(reason)"
            }
            func shown(_ value: String?) -> String {
                guard let value else { return variable.values.isReported ? "(set by the shell)" : "(not set)" }
                return "`'\(value)'`"
            }
            lines.append("| `\(variable.name)` | \(shown(variable.psqlDefault)) | \(shown(variable.curateDefault)) | \(support) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// curate's VERSION_NUM: the psql release whose behaviour curate follows.
    static let psqlVersionNumber = "150000"

    private static func isOn(_ value: String) -> Bool { Variables.parseBool(value) == true }

    /// Every special variable of psql 15, by name.
    static let table: [SpecialVariable] = [
        SpecialVariable(
            name: "AUTOCOMMIT", values: .boolean, psqlDefault: "on", curateDefault: "on", support: .implemented,
            summary: "off: a BEGIN is sent before a statement when no transaction is open (psql's exemptions apply)"),
        SpecialVariable(
            name: "COMP_KEYWORD_CASE", values: .choice(["lower", "upper", "preserve-lower", "preserve-upper"], booleans: false),
            psqlDefault: "preserve-upper", curateDefault: "preserve-upper",
            support: .only(accepted: "preserve-upper", allows: { $0.lowercased() == "preserve-upper" }, reason: "Tab completion keeps the case being typed (or of the statement's keywords), else upper case: the nearest of psql's values is its default, preserve-upper"),
            summary: "the case of completed keywords"),
        SpecialVariable(
            name: "DBNAME", values: .reported, psqlDefault: nil, curateDefault: nil, support: .implemented,
            summary: "the database connected to"),
        SpecialVariable(
            name: "ECHO", values: .choice(["none", "errors", "queries", "all"], booleans: false),
            psqlDefault: "none", curateDefault: "none", support: .implemented,
            summary: "which input lines are printed as they are read"),
        SpecialVariable(
            name: "ECHO_HIDDEN", values: .choice(["noexec"], booleans: true),
            psqlDefault: "off", curateDefault: "off", support: .implemented,
            summary: "show the queries backslash commands send (noexec: show, do not send)"),
        SpecialVariable(
            name: "ENCODING", values: .reported, psqlDefault: nil, curateDefault: nil, support: .implemented,
            summary: "the client encoding"),
        SpecialVariable(
            name: "ERROR", values: .reported, psqlDefault: nil, curateDefault: nil, support: .implemented,
            summary: "true when the last SQL statement failed, else false"),
        SpecialVariable(
            name: "FETCH_COUNT", values: .integer(unsetValue: "0"), psqlDefault: "0", curateDefault: "0", support: .implemented,
            summary: "rows per batch for a SELECT or VALUES (aligned output sized batch by batch, as psql's cursor fetches)"),
        SpecialVariable(
            name: "HIDE_TABLEAM", values: .boolean, psqlDefault: "off", curateDefault: "off", support: .implemented,
            summary: "leave the access method out of \\d+ and \\dt+"),
        SpecialVariable(
            name: "HIDE_TOAST_COMPRESSION", values: .boolean, psqlDefault: "off", curateDefault: "off", support: .implemented,
            summary: "leave the Compression column out of \\d+"),
        SpecialVariable(
            name: "HISTCONTROL", values: .choice(["none", "ignorespace", "ignoredups", "ignoreboth"], booleans: false),
            psqlDefault: "none", curateDefault: "none",
            support: .only(accepted: "none", allows: { $0.lowercased() == "none" }, reason: "the history keeps every entry (none); only entries holding passwords are left out"),
            summary: "which lines the history leaves out"),
        SpecialVariable(
            name: "HISTFILE", values: .text, psqlDefault: nil, curateDefault: nil,
            support: .only(accepted: "unset", allows: { _ in false }, reason: "the history file is always ~/.curate_history"),
            summary: "the history file"),
        SpecialVariable(
            name: "HISTSIZE", values: .integer(unsetValue: "500"), psqlDefault: "500", curateDefault: "2000",
            support: .only(accepted: "2000", allows: { $0 == "2000" }, reason: "the history keeps the last 2000 entries"),
            summary: "how many history entries are kept"),
        SpecialVariable(
            name: "HOST", values: .reported, psqlDefault: nil, curateDefault: nil, support: .implemented,
            summary: "the server's host (or socket folder)"),
        SpecialVariable(
            name: "IGNOREEOF", values: .eofCount, psqlDefault: "0", curateDefault: "0",
            support: .only(accepted: "0", allows: { $0 == "0" }, reason: "Ctrl-D at an empty prompt always ends the session (after asking about an open transaction)"),
            summary: "how many Ctrl-D at an empty prompt are ignored"),
        SpecialVariable(
            name: "LAST_ERROR_MESSAGE", values: .reported, psqlDefault: "", curateDefault: "", support: .implemented,
            summary: "the primary message of the last failed SQL statement"),
        SpecialVariable(
            name: "LAST_ERROR_SQLSTATE", values: .reported, psqlDefault: "00000", curateDefault: "00000", support: .implemented,
            summary: "the SQLSTATE of the last failed SQL statement"),
        SpecialVariable(
            name: "LASTOID", values: .reported, psqlDefault: nil, curateDefault: nil, support: .implemented,
            summary: "the OID the last statement without rows reported (0 when none)"),
        SpecialVariable(
            name: "ON_ERROR_ROLLBACK", values: .choice(["interactive"], booleans: true),
            psqlDefault: "off", curateDefault: "interactive", support: .implemented,
            summary: "a savepoint around each statement in a transaction: on, interactive (at the prompt only), off"),
        SpecialVariable(
            name: "ON_ERROR_STOP", values: .boolean, psqlDefault: "off", curateDefault: "on", support: .implemented,
            summary: "a script stops at its first error"),
        SpecialVariable(
            name: "PORT", values: .reported, psqlDefault: nil, curateDefault: nil, support: .implemented,
            summary: "the server's port"),
        SpecialVariable(
            name: "PROMPT1", values: .text, psqlDefault: "%/%R%x%# ", curateDefault: Prompt.defaultTemplate, support: .implemented,
            summary: "the prompt for a new statement"),
        SpecialVariable(
            name: "PROMPT2", values: .text, psqlDefault: "%/%R%x%# ", curateDefault: Prompt.defaultTemplate, support: .implemented,
            summary: "the prompt for a continuation line"),
        SpecialVariable(
            name: "PROMPT3", values: .text, psqlDefault: ">> ", curateDefault: ">> ", support: .implemented,
            summary: "the prompt for COPY FROM STDIN data"),
        SpecialVariable(
            name: "QUIET", values: .boolean, psqlDefault: "off", curateDefault: "off", support: .implemented,
            summary: "no informational messages (-q)"),
        SpecialVariable(
            name: "ROW_COUNT", values: .reported, psqlDefault: nil, curateDefault: nil, support: .implemented,
            summary: "rows returned or affected by the last SQL statement (0 after an error)"),
        SpecialVariable(
            name: "SERVER_VERSION_NAME", values: .reported, psqlDefault: nil, curateDefault: nil, support: .implemented,
            summary: "the server's version, as it names it"),
        SpecialVariable(
            name: "SERVER_VERSION_NUM", values: .reported, psqlDefault: nil, curateDefault: nil, support: .implemented,
            summary: "the server's version as a number (150018)"),
        SpecialVariable(
            name: "SHOW_ALL_RESULTS", values: .boolean, psqlDefault: "on", curateDefault: "on", support: .implemented,
            summary: "show every result of a query string, not only the last"),
        SpecialVariable(
            name: "SHOW_CONTEXT", values: .choice(["never", "errors", "always"], booleans: false),
            psqlDefault: "errors", curateDefault: "errors", support: .implemented,
            summary: "when server messages include their CONTEXT lines"),
        SpecialVariable(
            name: "SINGLELINE", values: .boolean, psqlDefault: "off", curateDefault: "off", support: .implemented,
            summary: "a newline ends a statement, as a semicolon does (-S)"),
        SpecialVariable(
            name: "SINGLESTEP", values: .boolean, psqlDefault: "off", curateDefault: "off", support: .implemented,
            summary: "confirm each statement before it is sent (-s)"),
        SpecialVariable(
            name: "SQLSTATE", values: .reported, psqlDefault: nil, curateDefault: nil, support: .implemented,
            summary: "the SQLSTATE of the last SQL statement (00000 when it succeeded)"),
        SpecialVariable(
            name: "USER", values: .reported, psqlDefault: nil, curateDefault: nil, support: .implemented,
            summary: "the role connected as"),
        SpecialVariable(
            name: "VERBOSITY", values: .choice(["default", "verbose", "terse", "sqlstate"], booleans: false),
            psqlDefault: "default", curateDefault: "default", support: .implemented,
            summary: "how much of a server message is shown"),
        SpecialVariable(
            name: "VERSION", values: .reported, psqlDefault: nil, curateDefault: "curate \(CurateVersion.string) (psql 15 compatible)",
            support: .implemented, summary: "curate's version, in words"),
        SpecialVariable(
            name: "VERSION_NAME", values: .reported, psqlDefault: nil, curateDefault: CurateVersion.string, support: .implemented,
            summary: "curate's version"),
        SpecialVariable(
            name: "VERSION_NUM", values: .reported, psqlDefault: nil, curateDefault: psqlVersionNumber, support: .implemented,
            summary: "the psql release whose behaviour curate follows, as a number (150000)"),
    ]
}
