import CurateKit

/// psql's prompt escapes, for `PROMPT1` (a new statement) and `PROMPT2` (a continuation line).
///
/// `%/` database, `%~` database (`~` when it is the user's own), `%n` user, `%m` host (short),
/// `%M` host, `%>` port, `%#` `#` for a superuser else `>`, `%x` transaction marker,
/// `%R` `=` or what is still open (`-`, `'`, `"`, `$`, `*`, `(`), `%r` `[ro]` in a read-only
/// session (curate's own), `%%` a percent sign.
enum Prompt {
    /// user@database, read-only marker, transaction state: `curator@fitsdata=*> `.
    static let defaultTemplate = "%n@%/%r%R%x%# "

    static func render(shell: Shell, frame: InputFrame) -> String {
        let continuing = !frame.splitter.bufferIsEmpty || frame.splitter.openConstruct != .none
        // Both start as `defaultTemplate` (SpecialVariable); `\unset PROMPT1` leaves no prompt, as in psql.
        let template = shell.variables[continuing ? "PROMPT2" : "PROMPT1"] ?? ""
        return expand(
            template,
            info: shell.session.info,
            state: shell.session.transactionState,
            open: continuing ? frame.splitter.openConstruct : nil,
            connected: shell.session.isConnected,
            readOnly: shell.session.isReadOnly
        )
    }

    /// `open` is nil on the first line of a statement.
    static func expand(_ template: String, info: ConnectionInfo, state: TransactionState, open: OpenConstruct?, connected: Bool, readOnly: Bool = false) -> String {
        var result = ""
        var escaping = false
        for character in template {
            guard escaping else {
                if character == "%" { escaping = true } else { result.append(character) }
                continue
            }
            escaping = false
            switch character {
            case "/": result += info.database
            case "~": result += info.database == info.user ? "~" : info.database
            case "n": result += info.user
            case "M": result += info.isSocket ? "[local]" : info.host
            case "m": result += info.isSocket ? "[local]" : String(info.host.prefix { $0 != "." })
            case ">": result += info.port
            case "#": result += info.isSuperuser ? "#" : ">"
            case "x": result += connected ? state.promptMarker : "?"
            case "R": result += marker(for: open, connected: connected)
            case "r": result += readOnly ? "[ro]" : ""
            case "%": result += "%"
            default: result.append("%"); result.append(character)
            }
        }
        return result
    }

    static func marker(for open: OpenConstruct?, connected: Bool) -> String {
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
