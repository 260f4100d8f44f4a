import ArgumentParser
import CurateKit

/// curate's command line: psql 15's options with psql's meaning, plus a few of curate's own under
/// long names no psql letter uses (`--plugin-dir`, `--no-plugins`, `--read-only`, `--json`).
/// What curate cannot do as psql does (`-L`) is refused, never ignored.
/// An option's value is the next argument whatever it looks like (`-F -`, `-c '-- note'`), as
/// with psql's getopt.
struct CurateOptions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curate",
        abstract: "An interactive shell for curating PostgreSQL databases.",
        usage: "curate [OPTION]... [DBNAME [USERNAME]]",
        discussion: """
            Connection settings not given here come from libpq: PGHOST, PGPORT, PGUSER, PGDATABASE, \
            PGSERVICE, ~/.pgpass and the service file. -d also takes a connection string \
            ("host=... dbname=...") or a URI (postgresql://user@host/db).
            """ + "\n\n" + ManualSections.exitStatusSentence,
        helpNames: [.long, .customShort("?")]
    )

    // MARK: General

    @Option(name: [.customShort("c"), .customLong("command")], parsing: .unconditionalSingleValue, help: ArgumentHelp("Run one command (SQL or backslash) and exit; repeatable, run in order with -f.", valueName: "COMMAND"))
    var command: [String] = []

    @Option(name: [.customShort("d"), .customLong("dbname")], parsing: .unconditional, help: ArgumentHelp("Database name, connection string or URI.", valueName: "DBNAME"))
    var dbname: String?

    @Option(name: [.customShort("f"), .customLong("file")], parsing: .unconditionalSingleValue, help: ArgumentHelp("Run commands from a file (- for stdin) and exit; repeatable, run in order with -c.", valueName: "FILENAME"))
    var file: [String] = []

    @Flag(name: [.customShort("l"), .customLong("list")], help: "List the databases, then exit.")
    var list = false

    @Option(name: [.customShort("v"), .customLong("variable"), .customLong("set")], parsing: .unconditionalSingleValue, help: ArgumentHelp("Set a variable, as \\set NAME VALUE (NAME alone unsets it).", valueName: "NAME=VALUE"))
    var variable: [String] = []

    @Flag(name: [.customShort("V"), .customLong("version")], help: "Print curate's version, then exit.")
    var version = false

    @Flag(name: [.customShort("X"), .customLong("no-psqlrc"), .customLong("no-curaterc")], help: "Do not read the startup file ~/.curaterc.")
    var noStartupFile = false

    @Flag(name: [.customShort("1"), .customLong("single-transaction")], help: "Run the commands (-c, -f) in one transaction (rolled back at the first error).")
    var singleTransaction = false

    // MARK: Input and output

    @Flag(name: [.customShort("a"), .customLong("echo-all")], help: "Echo every input line of a script (ECHO=all).")
    var echoAll = false

    @Flag(name: [.customShort("b"), .customLong("echo-errors")], help: "Echo failed commands (ECHO=errors).")
    var echoErrors = false

    @Flag(name: [.customShort("e"), .customLong("echo-queries")], help: "Echo the commands sent to the server (ECHO=queries).")
    var echoQueries = false

    @Flag(name: [.customShort("E"), .customLong("echo-hidden")], help: "Show the queries that backslash commands send (ECHO_HIDDEN=on).")
    var echoHidden = false

    @Option(name: [.customShort("L"), .customLong("log-file")], parsing: .unconditional, help: ArgumentHelp("Refused: no session log.", valueName: "FILENAME"))
    var logFile: String?

    @Flag(name: [.customShort("n"), .customLong("no-readline")], help: "No line editing: read the terminal line by line.")
    var noReadline = false

    @Option(name: [.customShort("o"), .customLong("output")], parsing: .unconditional, help: ArgumentHelp("Send results to a file, as \\o FILENAME.", valueName: "FILENAME"))
    var output: String?

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "No informational messages, only results (QUIET=on).")
    var quiet = false

    @Flag(name: [.customShort("s"), .customLong("single-step")], help: "Ask before each statement is sent (SINGLESTEP=on).")
    var singleStep = false

    @Flag(name: [.customShort("S"), .customLong("single-line")], help: "A newline ends a statement, as a semicolon does (SINGLELINE=on).")
    var singleLine = false

    // MARK: Output format

    @Flag(name: [.customShort("A"), .customLong("no-align")], help: "Unaligned output.")
    var unaligned = false

    @Flag(name: .customLong("csv"), help: "CSV output.")
    var csv = false

    @Option(name: [.customShort("F"), .customLong("field-separator")], parsing: .unconditional, help: ArgumentHelp("Field separator for unaligned output (default \"|\").", valueName: "STRING"))
    var fieldSeparator: String?

    @Flag(name: [.customShort("H"), .customLong("html")], help: "HTML table output.")
    var html = false

    @Option(name: [.customShort("P"), .customLong("pset")], parsing: .unconditionalSingleValue, help: ArgumentHelp("Set an output option, as \\pset NAME VALUE.", valueName: "VAR[=ARG]"))
    var pset: [String] = []

    @Option(name: [.customShort("R"), .customLong("record-separator")], parsing: .unconditional, help: ArgumentHelp("Record separator for unaligned output (default newline).", valueName: "STRING"))
    var recordSeparator: String?

    @Flag(name: [.customShort("t"), .customLong("tuples-only")], help: "Print rows only: no header, no footer.")
    var tuplesOnly = false

    @Option(name: [.customShort("T"), .customLong("table-attr")], parsing: .unconditional, help: ArgumentHelp("Set HTML table tag attributes (e.g., width, border).", valueName: "TEXT"))
    var tableAttributes: String?

    @Flag(name: [.customShort("x"), .customLong("expanded")], help: "Expanded output: one line per column.")
    var expanded = false

    @Flag(name: [.customShort("z"), .customLong("field-separator-zero")], help: "Zero byte as the field separator for unaligned output.")
    var fieldSeparatorZero = false

    @Flag(name: [.customShort("0"), .customLong("record-separator-zero")], help: "Zero byte as the record separator for unaligned output.")
    var recordSeparatorZero = false

    // MARK: Connection

    @Option(name: [.customShort("h"), .customLong("host")], parsing: .unconditional, help: ArgumentHelp("Server host or socket directory.", valueName: "HOSTNAME"))
    var host: String?

    @Option(name: [.customShort("p"), .customLong("port")], parsing: .unconditional, help: ArgumentHelp("Server port.", valueName: "PORT"))
    var port: String?

    @Option(name: [.customShort("U"), .customLong("username")], parsing: .unconditional, help: ArgumentHelp("Database user name.", valueName: "USERNAME"))
    var username: String?

    @Flag(name: [.customShort("w"), .customLong("no-password")], help: "Never ask for a password: fail instead.")
    var noPassword = false

    @Flag(name: [.customShort("W"), .customLong("password")], help: "Ask for a password before connecting.")
    var askPassword = false

    // MARK: curate's own

    @Flag(name: .customLong("json"), help: "JSON output: an array of objects per result.")
    var json = false

    @Flag(name: .customLong("read-only"), help: "Read-only session: every transaction is read-only; \\set READONLY off leaves it (asking first).")
    var readOnly = false

    @Option(name: .customLong("plugin-dir"), parsing: .unconditionalSingleValue, help: ArgumentHelp("Load plugins and check packs from this folder too (after CURATE_PLUGIN_PATH and ~/.config/curate/plugins); repeatable.", valueName: "DIR"))
    var pluginDirectories: [String] = []

    @Option(name: .customLong("lint"), parsing: .upToNextOption, help: ArgumentHelp("Check these check packs and plugins (files or folders) as curate would load them, then exit: 0 when fine, 1 otherwise. Needs no server; with -d DBNAME the server also prepares every query.", valueName: "PATH"))
    var lint: [String] = []

    @Flag(name: .customLong("no-plugins"), help: "Start with the built-in plugins only: no check packs, no external or extra plugins.")
    var noPlugins = false

    @Argument(help: ArgumentHelp("Database name, then user name (as psql accepts them).", valueName: "DBNAME [USERNAME]"))
    var positional: [String] = []

    func validate() throws {
        if positional.count > 2 {
            // psql warns and goes on; curate ignores nothing the user typed.
            throw ValidationError("extra command-line argument \"\(positional[2])\": at most a database name and a user name")
        }
        if logFile != nil { throw ValidationError(Self.refusal("-L (--log-file)", "curate writes no session log")) }
        for assignment in variable where assignment.hasPrefix("=") || assignment.isEmpty {
            throw ValidationError("could not set variable \"\(assignment)\"")
        }
        // --lint runs no session: what a session would do is refused, not ignored.
        if !lint.isEmpty, !command.isEmpty || !file.isEmpty || list || output != nil {
            throw ValidationError("--lint checks files and exits: it cannot be combined with -c, -f, -l or -o")
        }
    }

    private static func refusal(_ option: String, _ reason: String) -> String {
        "\(option) is not supported: \(reason)"
    }

    var connectionParameters: ConnectionParameters {
        ConnectionParameters(
            database: dbname ?? positional.first,
            host: host,
            port: port,
            user: username ?? (positional.count > 1 ? positional[1] : nil)
        )
    }

    /// The psql variables the flags set (psql's `-a`, `-q`, ...), before `-v` assignments.
    var flagVariables: [(name: String, value: String)] {
        var result: [(String, String)] = []
        if echoAll { result.append(("ECHO", "all")) }
        if echoErrors { result.append(("ECHO", "errors")) }
        if echoQueries { result.append(("ECHO", "queries")) }
        if echoHidden { result.append(("ECHO_HIDDEN", "on")) }
        if quiet { result.append(("QUIET", "on")) }
        if singleStep { result.append(("SINGLESTEP", "on")) }
        if singleLine { result.append(("SINGLELINE", "on")) }
        return result
    }

    /// `-v` assignments: a value to set, or nil to unset (`-v NAME`, as psql).
    var variableAssignments: [(name: String, value: String?)] {
        variable.map { assignment in
            guard let equals = assignment.firstIndex(of: "=") else { return (assignment, nil) }
            return (String(assignment[..<equals]), String(assignment[assignment.index(after: equals)...]))
        }
    }

    /// The output settings the format options ask for; of options that set the same thing
    /// (`-A`, `--csv`, `--json`, `-H`; `-F`, `-z`; `-R`, `-0`) the one given last wins, as in psql.
    /// (`-P` is applied after these.)
    func outputSettings(order: OptionOrder) -> OutputSettings {
        var settings = OutputSettings()
        switch order.last(of: ["A", "csv", "json", "H", "html"]) {
        case "A": settings.format = .unaligned
        case "csv": settings.format = .csv
        case "json": settings.format = .json
        case "H", "html": settings.format = .html
        default: break
        }
        settings.tableAttributes = tableAttributes
        settings.tuplesOnly = tuplesOnly
        if expanded { settings.expanded = .on }
        switch order.last(of: ["F", "z"]) {
        case "F": settings.fieldSeparator = fieldSeparator ?? settings.fieldSeparator
        case "z": settings.fieldSeparator = "\0"
        default: break
        }
        switch order.last(of: ["R", "0"]) {
        case "R": settings.recordSeparator = recordSeparator ?? settings.recordSeparator
        case "0": settings.recordSeparator = "\0"
        default: break
        }
        return settings
    }

    /// `-P NAME=VALUE` as (name, value); a bare NAME toggles, as psql's `\pset NAME`.
    var psetAssignments: [(name: String, value: String?)] {
        pset.map { assignment in
            guard let equals = assignment.firstIndex(of: "=") else { return (assignment, nil) }
            return (String(assignment[..<equals]), String(assignment[assignment.index(after: equals)...]))
        }
    }
}

enum CurateVersion {
    /// The VERSION file's version, compiled in (CurateRelease).
    static var string: String { CurateRelease.version }
    /// The running executable's name (a Swift plugin package's own curate has its own name).
    static var executableName: String {
        CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "curate") } ?? "curate"
    }
}
