import CurateKit

/// What a describe command was typed with: psql's `+` (more detail) and `S` (system objects too),
/// read from the name as typed (`\dtS+`), and the letters after the base name (`\dfa` → "a").
struct DescribeModifiers {
    /// `+`: the verbose form.
    let verbose: Bool
    /// `S`: system objects too.
    let system: Bool
    /// Everything typed after the command's registered name (`"S+"`, `"a"`, `"tv"`).
    let letters: String

    init(typed name: String, base: String) {
        letters = String(name.dropFirst(base.count))
        verbose = letters.contains("+")
        system = letters.contains("S")
    }
}

extension Shell {
    /// psql's `PSQLexec`: a describe command's catalog query, shown first when ECHO_HIDDEN is
    /// on. When it is `noexec` the query is only shown, and the command fails without a message
    /// (`ReportedFailure`), as psql's do: a script with ON_ERROR_STOP stops there. A server
    /// error is thrown as for any statement.
    func describeQuery(_ sql: String) throws -> QueryResult {
        let echoHidden = variables["ECHO_HIDDEN"]
        if let echoHidden, echoHidden.lowercased() == "noexec" || PsqlVariableEffects.isOn(echoHidden) {
            let text = echoHiddenBanner(sql)
            console.writeStandardOutput(text)
            console.flush()
            if echoHidden.lowercased() == "noexec" { throw ReportedFailure() }
        }
        return try session.execute(sql)
    }

    /// The query as ECHO_HIDDEN shows it: psql 18 frames it as an SQL comment (so the output can
    /// be run as a script), psql 15 in plain stars; each for the servers of its version.
    private func echoHiddenBanner(_ sql: String) -> String {
        if session.info.serverVersion >= 180000 {
            return "/******** QUERY *********/\n\(sql)\n/************************/\n\n"
        }
        return "********* QUERY **********\n\(sql)\n**************************\n\n"
    }

    /// psql's `printQuery` for a describe command: the result under `title` (centred over an
    /// aligned table), with the `(N rows)` footer or, when given, `footers` in its place, in the
    /// user's output format. `nullDisplay`: psql 15 shows NULL as empty in most lists whatever
    /// `\pset null` says (its `myopt.nullPrint = NULL`); nil keeps the user's setting.
    func printDescribed(_ result: QueryResult, title: String?, footers: [String]? = nil, nullDisplay: String? = "") {
        let context = makeContext(isInteractive: isInteractive)
        var settings = context.settings
        settings.title = title
        settings.tableFooters = footers
        // psql 18 (servers of 18 on) shows NULL in its lists as `\pset null` says.
        if let nullDisplay, session.info.serverVersion < 180000 { settings.nullDisplay = nullDisplay }
        context.print(result, settings: settings)
        console.flush()
    }
}
