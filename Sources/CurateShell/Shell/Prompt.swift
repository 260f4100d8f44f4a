import CurateKit

/// psql's prompt escapes, for `PROMPT1` (a new statement) and `PROMPT2` (a continuation line).
///
/// `%/` database, `%~` database (`~` when it is the user's own), `%n` user, `%m` host (short),
/// `%M` host, `%>` port, `%#` `#` for a superuser else `>`, `%x` transaction marker,
/// `%R` `=` (`@` inside an `\if` branch not taken) or what is still open (`-`, `'`, `"`, `$`, `*`, `(`), `%r` `[ro]` in a read-only
/// session (curate's own), `%%` a percent sign; `%p` the server process, `%l` the line within the
/// statement, `%w` spaces as wide as the last first-line prompt, `%:name:` a variable,
/// `` %`command` `` a program's output, `%0NN` an octal byte, `%[ %]` around invisible text
/// (dropped: libedit measures the prompt itself). Any other `%c` is `c`, as psql prints it.
enum Prompt {
    /// What the escapes that read beyond the connection need.
    struct Extras {
        var lineInStatement = 1
        var lastFirstPromptWidth = 0
        var variable: (String) -> String? = { _ in nil }
        var runCommand: (String) -> String = { _ in "" }
    }

    /// user@database, read-only marker, transaction state: `curator@fitsdata=*> `.
    static let defaultTemplate = "%n@%/%r%R%x%# "

    static func render(shell: Shell, frame: InputFrame) -> String {
        let continuing = !frame.splitter.bufferIsEmpty || frame.splitter.openConstruct != .none
        // Both start as `defaultTemplate` (SpecialVariable); `\unset PROMPT1` leaves no prompt, as in psql.
        let template = shell.variables[continuing ? "PROMPT2" : "PROMPT1"] ?? ""
        let buffer = frame.splitter.buffer
        var extras = Extras()
        extras.lineInStatement = buffer.isEmpty ? 1 : buffer.utf8.reduce(2) { $1 == 0x0A ? $0 + 1 : $0 }
        extras.lastFirstPromptWidth = shell.lastFirstPromptWidth
        extras.variable = { [variables = shell.variables] in variables[$0] }
        extras.runCommand = { [unowned shell, frame] in shell.backquoted($0, in: frame, line: frame.source.lineNumber) }
        let prompt = expand(
            template,
            info: shell.session.info,
            state: shell.session.transactionState,
            open: continuing ? frame.splitter.openConstruct : nil,
            connected: shell.session.isConnected,
            readOnly: shell.session.isReadOnly,
            inactiveBranch: !frame.conditionals.isActive,
            extras: extras
        )
        if !continuing { shell.lastFirstPromptWidth = DisplayWidth.width(of: prompt) }
        return prompt
    }

    /// `open` is nil on the first line of a statement.
    /// `inactiveBranch`: the input is inside an `\if` branch that is not taken.
    static func expand(
        _ template: String, info: ConnectionInfo, state: TransactionState, open: OpenConstruct?, connected: Bool,
        readOnly: Bool = false, inactiveBranch: Bool = false, extras: Extras = Extras()
    ) -> String {
        var result = ""
        let characters = Array(template)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            guard character == "%", index < characters.count else {
                result.append(character)
                continue
            }
            let escape = characters[index]
            index += 1
            switch escape {
            case "p": result += connected ? String(info.backendPID) : ""
            case "l": result += String(extras.lineInStatement)
            case "w": result += String(repeating: " ", count: extras.lastFirstPromptWidth)
            case "[", "]": break
            case "0"..."7":
                // psql reads the octal number that starts here (strtol): `%033`, `%7`.
                var value = 0
                var end = index - 1
                while end < characters.count, let digit = characters[end].wholeNumberValue, digit < 8, value < 0o400 {
                    value = value * 8 + digit
                    end += 1
                }
                index = end
                if value > 0, let scalar = Unicode.Scalar(value) { result.unicodeScalars.append(scalar) }
            case ":":
                guard let close = characters[index...].firstIndex(of: ":") else { break }
                result += extras.variable(String(characters[index..<close])) ?? ""
                index = close + 1
            case "`":
                guard let close = characters[index...].firstIndex(of: "`") else { break }
                result += extras.runCommand(String(characters[index..<close]))
                index = close + 1
            default:
                result += expand(escape, info: info, state: state, open: open, connected: connected, readOnly: readOnly, inactiveBranch: inactiveBranch)
            }
        }
        return result
    }

    /// The escapes that need only the connection and the input's state.
    private static func expand(
        _ character: Character, info: ConnectionInfo, state: TransactionState, open: OpenConstruct?, connected: Bool,
        readOnly: Bool, inactiveBranch: Bool
    ) -> String {
        var result = ""
        switch character {
        case "/": result += info.database
        case "~": result += info.database == info.user ? "~" : info.database
        case "n": result += info.user
        case "M": result += info.isSocket ? "[local]" : info.host
        case "m": result += info.isSocket ? "[local]" : String(info.host.prefix { $0 != "." })
        case ">": result += info.port
        case "#": result += info.isSuperuser ? "#" : ">"
        case "x": result += connected ? state.promptMarker : "?"
        case "R": result += marker(for: open, connected: connected, inactiveBranch: inactiveBranch)
        case "r": result += readOnly ? "[ro]" : ""
        case "%": result += "%"
        // As psql: an escape it does not know prints its character.
        default: result.append(character)
        }
        return result
    }

    static func marker(for open: OpenConstruct?, connected: Bool, inactiveBranch: Bool = false) -> String {
        // As psql: `@` only on the first line of a statement, before the connection's `!`.
        if open == nil && inactiveBranch { return "@" }
        guard connected else { return "!" }
        guard let open else { return "=" }
        switch open {
        case .none: return "-"
        case .singleQuote: return "'"
        case .doubleQuote: return "\""
        case .dollarQuote: return "$"
        case .blockComment: return "*"
        case .parenthesis: return "("
        }
    }
}
