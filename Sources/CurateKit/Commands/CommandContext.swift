import CCurateSupport

/// Everything a command runs with: the shared session, the user's output settings, the console,
/// variables, confirmation, progress and cancellation.
public final class CommandContext {
    /// The one PostgreSQL session, shared with the user's transaction.
    public let session: Session
    /// Output and messages, in order (stdout is flushed before anything goes to stderr).
    public let console: Console
    /// `\set` variables.
    public let variables: Variables
    /// The user's current output format (`--csv`, `\pset`, `\x`).
    public let settings: OutputSettings
    /// True when a person is at a terminal; false for scripts (`-f`, `-c`, piped stdin).
    public let isInteractive: Bool
    /// The trusted plugin folders (`--plugin-dir`, `CURATE_PLUGIN_PATH`, the configuration folder), for a
    /// plugin that re-reads its files (`\check --reload`).
    public let pluginSearchPath: PluginSearchPath
    /// The plugin instance that registered the running command: where a plugin keeps its own
    /// state (the check plugin's loaded packs), instead of a global. Nil for a context made
    /// outside a plugin's command.
    public let plugin: (any CuratePlugin)?

    package init(
        session: Session, console: Console, variables: Variables, settings: OutputSettings, isInteractive: Bool,
        pluginSearchPath: PluginSearchPath = .empty, plugin: (any CuratePlugin)? = nil
    ) {
        self.session = session
        self.console = console
        self.variables = variables
        self.settings = settings
        self.isInteractive = isInteractive
        self.pluginSearchPath = pluginSearchPath
        self.plugin = plugin
    }

    /// The running command's plugin as its own type (`context.plugin(MyPlugin.self)?.cache`).
    public func plugin<P: CuratePlugin>(_ type: P.Type) -> P? { plugin as? P }

    // MARK: Results

    /// Runs SQL and prints every result in the user's format as it streams from the server.
    public func printResults(of sql: String, parameters: [String?] = []) throws {
        if !settings.showsAllResults && parameters.isEmpty {
            // The last result only: the others are read and dropped as they arrive (psql too
            // holds a result until it knows whether it is the last).
            print(try session.executeKeepingLast(sql) { _ in })
            return
        }
        try session.run(sql, parameters: parameters, into: DeferredRenderer(context: self))
    }

    /// Prints a result already fetched with `Session.execute`, in the user's format (or in
    /// `settings`, for a command that needs to adjust it, e.g. no footer).
    public func print(_ result: QueryResult, settings: OutputSettings? = nil) {
        let renderer = makeRenderer(settings: settings ?? self.settings, writer: console.output)
        if result.columns.isEmpty && result.rows.isEmpty {
            renderer.command(tag: result.commandTag)
            return
        }
        renderer.begin(columns: result.columns)
        for row in result.rows { renderer.row(PGResultRow(result: row.result, row: row.index)) }
        renderer.end(commandTag: result.commandTag, rowCount: result.rows.count)
    }

    /// Prints a table of the command's own values in the user's format (aligned, csv, json, ...),
    /// exactly as a query result would print. Values are text; nil is NULL.
    public func printTable(columns: [String], rows: [[String?]], settings: OutputSettings? = nil) {
        printTable(described: columns.map { ColumnDescription(name: $0, typeOID: TypeOID.text) }, rows: rows, settings: settings)
    }

    /// The same with column types (numbers right-aligned, typed in JSON), for the external plugin
    /// host and a command printing rows it read (`\check`'s findings).
    public func printTable(described columns: [ColumnDescription], rows: [[String?]], settings: OutputSettings? = nil) {
        let renderer = makeRenderer(settings: settings ?? self.settings, writer: console.output)
        renderer.begin(columns: columns)
        for row in rows { renderer.row(TextRowValues(row)) }
        renderer.end(commandTag: "SELECT \(rows.count)", rowCount: rows.count)
    }

    // MARK: Interaction

    /// Asks the user to confirm. In a script nobody can answer: the answer is `assumeYes`
    /// (the command's `--yes`), and without it the command is refused with a clear error.
    public func confirm(_ question: String, assumeYes: Bool) throws -> Bool {
        if assumeYes { return true }
        guard isInteractive else {
            throw CommandError("\(question) — refused: a script cannot confirm", hint: "pass --yes to confirm in a script")
        }
        console.prepareForQuestion()
        console.printError("\(question) [y/N] ", newline: false)
        guard let answer = readLine(strippingNewline: true) else { return false }
        let word = answer.lowercased().drop(while: { $0 == " " })
        return word == "y" || word == "yes"
    }

    /// A progress display (done/total, rate, ETA) on stderr, drawn only at a terminal.
    public func progress(_ label: String, total: Int?) -> Progress {
        Progress(label: label, total: total, console: console, enabled: isInteractive && console.errorIsTerminal)
    }

    // MARK: Cancellation

    /// True once the user pressed Ctrl-C during this command.
    public var isCancelled: Bool { curate_interrupt_pending() != 0 }

    /// Throws ``CommandCancelled`` when the user pressed Ctrl-C: call it between the steps of a long
    /// loop. (A running query needs no check: Ctrl-C cancels it, and it fails with a `ServerError`.)
    public func checkCancellation() throws {
        if isCancelled { throw CommandCancelled() }
    }
}

/// The user pressed Ctrl-C.
public struct CommandCancelled: Error, Sendable {
    /// Throw it to stop a command the way Ctrl-C does (``CommandContext/checkCancellation()`` does).
    public init() {}
}
