import CurateKit

/// curate's command line, mirroring psql's so experts feel at home.
struct CurateOptions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curate",
        abstract: "An interactive shell for curating PostgreSQL databases.",
        discussion: """
            Connection settings not given here come from libpq: PGHOST, PGPORT, PGUSER, PGDATABASE, \
            PGSERVICE, ~/.pgpass and the service file. -d also takes a connection string \
            ("host=... dbname=...") or a URI (postgresql://user@host/db).

            Exit status: 0 success, 1 fatal error (bad file, bad option), 2 connection failed or lost \
            in a script, 3 a script stopped at an error or ended with its transaction open.
            """,
        version: CurateVersion.string,
        helpNames: [.long, .customShort("?")]
    )

    @Option(name: [.short, .customLong("dbname")], help: ArgumentHelp("Database name, connection string or URI.", valueName: "DBNAME"))
    var dbname: String?

    @Option(name: [.short, .customLong("host")], help: ArgumentHelp("Server host or socket directory.", valueName: "HOST"))
    var host: String?

    @Option(name: [.short, .customLong("port")], help: ArgumentHelp("Server port.", valueName: "PORT"))
    var port: String?

    @Option(name: [.customShort("U"), .customLong("username")], help: ArgumentHelp("Database user name.", valueName: "USER"))
    var username: String?

    @Option(name: [.short, .customLong("command")], help: ArgumentHelp("Run one command (SQL or backslash) and exit; repeatable, run in order.", valueName: "COMMAND"))
    var command: [String] = []

    @Option(name: [.short, .customLong("file")], help: ArgumentHelp("Run commands from a file (- for stdin) and exit; after any -c.", valueName: "FILE"))
    var file: String?

    @Option(name: [.short, .customLong("variable"), .customLong("set")], help: ArgumentHelp("Set a variable, as \\set NAME VALUE.", valueName: "NAME=VALUE"))
    var variable: [String] = []

    @Flag(name: [.customShort("X"), .customLong("no-curaterc")], help: "Do not read the startup file ~/.curaterc.")
    var noStartupFile = false

    @Flag(name: [.customShort("1"), .customLong("single-transaction")], help: "Run the whole script in one transaction (rolled back at the first error).")
    var singleTransaction = false

    @Flag(name: .customLong("csv"), help: "CSV output (as psql --csv).")
    var csv = false

    @Flag(name: .customLong("json"), help: "JSON output: an array of objects per result.")
    var json = false

    @Flag(name: [.customShort("A"), .customLong("no-align")], help: "Unaligned output.")
    var unaligned = false

    @Flag(name: [.short, .customLong("tuples-only")], help: "Print rows only: no header, no footer.")
    var tuplesOnly = false

    @Flag(name: .customLong("read-only"), help: "Read-only session: every transaction is read-only; \\set READONLY off leaves it (asking first).")
    var readOnly = false

    @Option(name: [.customShort("P"), .customLong("plugin-dir")], help: ArgumentHelp("Load plugins and check packs from this folder too (after CURATE_PLUGIN_PATH and ~/.config/curate/plugins); repeatable.", valueName: "DIR"))
    var pluginDirectories: [String] = []

    @Flag(name: .customLong("no-plugins"), help: "Start with the built-in plugins only: no check packs, no external or extra plugins.")
    var noPlugins = false

    @Argument(help: ArgumentHelp("Database name, then user name (as psql accepts them).", valueName: "DBNAME [USER]"))
    var positional: [String] = []

    func validate() throws {
        if [csv, json, unaligned].filter({ $0 }).count > 1 {
            throw ValidationError("choose one of --csv, --json and -A")
        }
        if positional.count > 2 {
            throw ValidationError("unexpected argument \"\(positional[2])\"")
        }
        for assignment in variable where !assignment.contains("=") {
            throw ValidationError("-v needs NAME=VALUE, got \"\(assignment)\"")
        }
    }

    var connectionParameters: ConnectionParameters {
        ConnectionParameters(
            database: dbname ?? positional.first,
            host: host,
            port: port,
            user: username ?? (positional.count > 1 ? positional[1] : nil)
        )
    }

    var outputSettings: OutputSettings {
        var settings = OutputSettings()
        if csv { settings.format = .csv }
        if json { settings.format = .json }
        if unaligned { settings.format = .unaligned }
        settings.tuplesOnly = tuplesOnly
        return settings
    }
}

enum CurateVersion {
    static let string = "0.1.0"
    /// The running executable's name (a Swift plugin package's own curate has its own name).
    static var executableName: String {
        CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "curate") } ?? "curate"
    }
}
