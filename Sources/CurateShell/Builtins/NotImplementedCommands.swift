/// psql 15's backslash commands that curate does not have: they are refused by name, so a script
/// written for psql stops at them with a clear reason instead of psql's "invalid command" (which
/// would suggest a typing mistake). A command registered under one of these names runs instead.
/// (The describe family, `\d...`, `\l`, `\z`, `\sf`, `\sv`, `\ef`, `\ev`, `\lo_list`, is not listed.)
enum NotImplementedCommands {
    static let names: Set<String> = ["copyright", "h"]

    static func message(for name: String) -> String {
        switch name {
        case "h":
            return "\\h is not implemented in curate: it has no SQL syntax help (\\help NAME shows a curate command's usage)"
        default:
            return "\\\(name) is not implemented in curate"
        }
    }
}
