import CCurateSupport
import CurateKit
import Foundation
import BackupPlugin
import CheckPlugin
import FixPlugin
import RestorePlugin
import RowPlugin
import SQLPlugin

/// The shell's entry point. `curate` calls it with no extra plugins; a package that builds
/// "curate plus its own plugins" calls it with theirs, registered after the built-in ones.
public enum CurateMain {
    /// The built-in plugins, registered first. The check and fix plugins share one catalog of
    /// checks (built-in packs plus the loaded pack files), held by the plugin instances.
    public static var builtInPlugins: [any CuratePlugin] {
        let check = CheckPlugin()
        return [SQLPassthroughPlugin(), check, FixPlugin(catalog: check.catalog), BackupPlugin(), RestorePlugin(),
                RowPlugin(catalog: check.catalog)]
    }

    /// Runs curate and returns its exit status.
    public static func run(arguments: [String] = Array(CommandLine.arguments.dropFirst()), plugins: [any CuratePlugin] = []) -> Int32 {
        // psql's `--help=options|commands|variables` (argument-parser knows `--help` alone).
        var arguments = arguments
        let endOfOptions = arguments.firstIndex(of: "--") ?? arguments.endIndex
        let helpIndex = arguments[..<endOfOptions].firstIndex { $0.hasPrefix("--help=") }
        let helpTopic = helpIndex.map { String(arguments[$0].dropFirst("--help=".count)) }
        if let helpIndex { arguments.remove(at: helpIndex) }

        if arguments == ["--experimental-dump-help"] {
            print(ToolInfoDump.text())
            return 0
        }
        let options: CurateOptions
        do {
            options = try CurateOptions.parse(arguments)
        } catch {
            let code = CurateOptions.exitCode(for: error)
            if code == .success {
                print(CurateOptions.fullMessage(for: error))
                return 0
            }
            var message = CurateOptions.message(for: error)
            if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
            FileHandle.standardError.write(Data((
                "curate: error: " + message + "\ncurate: hint: Try \"curate --help\" for more information.\n"
            ).utf8))
            return 1
        }
        if let helpTopic {
            return printHelp(topic: helpTopic, options: options, plugins: plugins)
        }
        if options.version {
            // psql prints `psql (PostgreSQL) 15.18`; curate its version and the commit it was built from.
            print("curate \(CurateRelease.description)")
            return 0
        }
        if !options.lint.isEmpty {
            return lint(options: options)
        }
        return Launcher(options: options, order: OptionOrder(arguments), extraPlugins: plugins).run()
    }

    /// `--lint PATH...`: offline unless a database is named (`-d` or the first argument).
    private static func lint(options: CurateOptions) -> Int32 {
        let named = options.dbname != nil || !options.positional.isEmpty
        let parameters = options.connectionParameters
        var linter = PluginLint(paths: options.lint, connect: named ? { try Session(parameters: parameters) } : nil, console: Console())
        return linter.run()
    }

    /// `--help=options` (the option list), `--help=commands` (the backslash commands, as `\?`
    /// lists them); `--help=variables` is refused: curate has no list of its variables.
    private static func printHelp(topic: String, options: CurateOptions, plugins: [any CuratePlugin]) -> Int32 {
        switch topic {
        case "options":
            print(CurateOptions.helpMessage())
            return 0
        case "commands":
            let loaded = PluginLoader(
                shellCommands: Launcher.shellCommands, extraPlugins: plugins,
                folders: options.pluginDirectories, noPlugins: options.noPlugins
            ).load(environment: ProcessInfo.processInfo.environment)
            print(ListCommandsCommand.text(registry: loaded.registry))
            return 0
        case "manual":
            // curate's own topic, for scripts/package: the man page's sections after the options.
            let loaded = PluginLoader(shellCommands: Launcher.shellCommands, extraPlugins: plugins, folders: [], noPlugins: true)
                .load(environment: ProcessInfo.processInfo.environment)
            print(ManualSections.mdoc(registry: loaded.registry), terminator: "")
            return 0
        case "variables":
            FileHandle.standardError.write(Data("curate: error: --help=variables is not supported: curate has no list of its variables; \(InstallationLayout.userGuide) describes them\n".utf8))
            return 1
        default:
            FileHandle.standardError.write(Data("curate: error: unknown help topic \"\(topic)\": options, commands or variables\ncurate: hint: Try \"curate --help\" for more information.\n".utf8))
            return 1
        }
    }
}

/// One run of curate: connect, register, read, and leave the transaction honest at the end.
private struct Launcher {
    let options: CurateOptions
    /// The order the options were given in (psql applies them in order).
    let order: OptionOrder
    /// A Swift plugin package's own plugins (none for plain curate).
    let extraPlugins: [any CuratePlugin]

    func run() -> Int32 {
        let console = Console()
        let scripted = !options.command.isEmpty || !options.file.isEmpty
        let interactive = !scripted && !options.list && isatty(0) != 0 && isatty(1) != 0
        curate_install_interrupt_handler()

        // Checked before connecting, as psql does: -P settings, -v values, the -o file.
        var settings = options.outputSettings(order: order)
        var pagerMode = Pager.Mode.on
        for (name, value) in options.psetAssignments {
            do {
                _ = try PsetCommand.apply(name, value, settings: &settings, pager: &pagerMode)
            } catch {
                console.printError("curate: error: " + ((error as? ShellFailure)?.message ?? "\\pset: \(error)"))
                console.printError("curate: error: could not set printing parameter \"\(name)\"")
                return 1
            }
        }
        if let output = options.output {
            do {
                console.redirect(to: try OutputCommand.open(output))
            } catch {
                console.printError("curate: error: \(error)")
                return 1
            }
        }

        let loaded = PluginLoader(
            shellCommands: Self.shellCommands, extraPlugins: extraPlugins,
            folders: options.pluginDirectories, noPlugins: options.noPlugins
        ).load(environment: ProcessInfo.processInfo.environment)
        for warning in loaded.warnings { console.printError("curate: warning: " + warning) }
        for (plugin, _) in loaded.registry.plugins { plugin.load(from: loaded.searchPath, console: console) }
        let registry = loaded.registry

        // psql's variables with its defaults, then -v, checked before connecting (as psql does).
        let variables = Variables()
        SpecialVariable.installDefaults(in: variables)
        for (name, value) in options.flagVariables { variables[name] = value }
        for (name, value) in options.variableAssignments {
            do {
                variables[name] = try SpecialVariable.named(name).map { try $0.assignment(of: value) } ?? value
            } catch {
                console.printError("curate: error: \(error)")
                return 1
            }
        }

        var parameters = options.connectionParameters
        // psql's -l connects to "postgres" unless a database is named on the command line.
        if options.list, options.dbname == nil, options.positional.isEmpty { parameters.database = "postgres" }
        parameters.clientEncodingAuto = interactive && ProcessInfo.processInfo.environment["PGCLIENTENCODING"] == nil
        let session: Session
        switch connect(parameters) {
        case .success(let connected): session = connected
        case .failure(let error):
            console.printError("curate: error: \(error)")
            return 2
        }

        if options.readOnly {
            do {
                try session.configure(["SET default_transaction_read_only = on"])
                variables["READONLY"] = "on"
            } catch {
                console.printError("curate: error: could not make the session read-only: \(error)")
                return 2
            }
        }
        let home = ProcessInfo.processInfo.environment["HOME"]
        let editor = interactive && !options.noReadline ? LineEditor(historyFile: home.map { $0 + "/.curate_history" }) : nil
        let shell = Shell(
            session: session,
            console: console,
            variables: variables,
            settings: settings,
            registry: registry,
            isInteractive: interactive,
            lineEditor: editor,
            pluginSearchPath: loaded.searchPath
        )
        shell.pager.mode = pagerMode

        if !options.noStartupFile, let home, let startup = FileInput(path: home + "/.curaterc") {
            shell.process(startup, interactive: false)
            if let status = shell.exitStatusIfStopped { return status }
        }

        if options.list {
            return DatabaseList.print(shell)
        }
        if scripted || !interactive {
            return runScript(shell)
        }
        // psql leaves its banner out with QUIET (-q), as set by then (~/.curaterc included).
        if !shell.isQuiet {
            console.print("curate \(CurateVersion.string) (server \(session.info.serverVersionString))\nType \\? for help, \\q to quit.\n")
        }
        console.flush()
        // -n: no line editing; the prompt is printed and the line read as it comes.
        let terminal: any InputSource = editor ?? PlainTerminalInput()
        while true {
            shell.process(terminal, interactive: true)
            if shell.session.transactionState.isOpen, !confirmExitWithOpenTransaction(shell) {
                shell.quitRequested = false
                continue
            }
            shell.redirectOutput(to: nil)
            console.flush()
            return 0
        }
    }

    /// `-c`, `-f` or piped stdin. Stops at the first error (unless ON_ERROR_STOP is off), and
    /// never leaves a transaction to be committed by someone else: an open one is rolled back.
    private func runScript(_ shell: Shell) -> Int32 {
        if options.singleTransaction {
            do { try shell.session.execute("BEGIN") } catch {
                shell.console.printError("curate: error: could not begin the transaction: \(error)")
                return 3
            }
        }
        // -c and -f run in the order given (psql 15); without either, standard input is the script.
        var commands = options.command.makeIterator()
        var files = options.file.makeIterator()
        var actions: [Bool] = order.commandsAndFiles
        if actions.filter({ $0 }).count != options.command.count || actions.filter({ !$0 }).count != options.file.count {
            actions = options.command.map { _ in true } + options.file.map { _ in false }
        }
        var openFailed = false
        if actions.isEmpty {
            // Only a named file locates messages (psql's rule): standard input read without -f
            // has no name; `-f -` is <stdin>.
            shell.standardInput.name = ""
            shell.process(shell.standardInput, interactive: false)
        }
        // psql's exit status is its last action's: 1 when that was a -c string that failed
        // (with ON_ERROR_STOP off; on, curate stops with 3 as for a script: see decisions.md).
        var lastCommandFailed = false
        for isCommand in actions where !shell.quitRequested && shell.exitStatusIfStopped == nil {
            lastCommandFailed = false
            if isCommand, let text = commands.next() {
                let failuresBefore = shell.errorCount
                shell.runCommandString(text)
                lastCommandFailed = shell.errorCount != failuresBefore
            } else if !isCommand, let file = files.next() {
                if file == "-" {
                    shell.standardInput.name = "<stdin>"
                    shell.process(shell.standardInput, interactive: false)
                } else if let input = FileInput(path: file) {
                    shell.process(input, interactive: false)
                } else {
                    shell.console.printError("curate: error: \(file): \(String(cString: strerror(errno)))")
                    openFailed = true
                    break
                }
            }
        }
        // A `\o |program` still open reads its input to the end before curate exits.
        shell.redirectOutput(to: nil)
        shell.console.flush()
        let status = shell.exitStatusIfStopped ?? (openFailed || lastCommandFailed ? 1 : 0)
        guard shell.session.isConnected else { return status == 0 ? 2 : status }

        if options.singleTransaction, shell.session.transactionState == .inTransaction, status == 0, !shell.hadErrorInScript, !openFailed {
            do {
                try shell.session.execute("COMMIT")
                return 0
            } catch {
                shell.console.printError("curate: error: COMMIT failed: \(error)")
                return 3
            }
        }
        if shell.session.transactionState.isOpen {
            _ = try? shell.session.execute("ROLLBACK")
            shell.console.printError(
                options.singleTransaction
                    ? "curate: the script failed; its transaction (-1) was rolled back, nothing was committed."
                    : "curate: the input ended with a transaction still open; it was rolled back, nothing of it was committed."
            )
            return 3
        }
        return status
    }

    /// Ctrl-D or `\q` with a transaction open: ask; never commit without being told to.
    private func confirmExitWithOpenTransaction(_ shell: Shell) -> Bool {
        let failed = shell.session.transactionState == .failed
        shell.console.printError(
            failed
                ? "A failed transaction is open. Roll it back and quit? [y/N] "
                : "A transaction is open with uncommitted work. [c]ommit and quit, [r]oll back and quit, or stay? [c/r/S] ",
            newline: false
        )
        let answer = (readLine() ?? "").lowercased().trimmingCharacters(in: .whitespaces)
        if failed ? (answer == "y" || answer == "yes") : (answer == "r" || answer == "rollback") {
            _ = try? shell.session.execute("ROLLBACK")
            shell.console.printError("Rolled back.")
            return true
        }
        if !failed && (answer == "c" || answer == "commit") {
            do {
                try shell.session.execute("COMMIT")
                shell.console.printError("Committed.")
                return true
            } catch let error as ConnectionError {
                // Nothing is open any more: the session is gone (and the error says what is known).
                shell.console.printError("COMMIT failed: \(error).")
                return true
            } catch {
                shell.console.printError("COMMIT failed: \(error); the transaction is still open.")
                return false
            }
        }
        return false
    }

    /// Connects; when the server wants a password and a terminal is there, asks for it (never
    /// with -w; with -W before connecting, as psql).
    private func connect(_ parameters: ConnectionParameters) -> Result<Session, ConnectionError> {
        var parameters = parameters
        if options.askPassword, let password = PasswordPrompt.read(prompt: "Password: ") {
            parameters.password = password
        }
        do {
            return .success(try Session(parameters: parameters))
        } catch where error.kind == .passwordRequired && !options.noPassword && parameters.password == nil {
            let user = parameters.user ?? ProcessInfo.processInfo.environment["PGUSER"] ?? NSUserName()
            guard isatty(0) != 0, let password = PasswordPrompt.read(prompt: "Password for user \(user): ") else {
                return .failure(error)
            }
            var withPassword = parameters
            withPassword.password = password
            do {
                return .success(try Session(parameters: withPassword))
            } catch {
                return .failure(error)
            }
        } catch {
            return .failure(error)
        }
    }

    /// psql's long names of its commands (`\include` is `\i`).
    static let psqlAliases = [
        "include": "i", "include_relative": "ir", "out": "o", "print": "p", "write": "w", "quit": "q", "reset": "r", "edit": "e", "html": "H",
    ]

    static var shellCommands: [RegisteredCommand] {
        let types: [any BuiltinCommand.Type] = [
            QuitCommand.self, ListCommandsCommand.self, HelpCommand.self, TimingCommand.self,
            ExpandedCommand.self, PsetCommand.self, OutputCommand.self, IncludeCommand.self, IncludeRelativeCommand.self,
            EchoCommand.self, QueryEchoCommand.self, WarnCommand.self, TuplesOnlyCommand.self, AlignToggleCommand.self,
            FieldSeparatorCommand.self, TitleCommand.self, HTMLToggleCommand.self, TableAttributesCommand.self, ChangeDirectoryCommand.self, ShellEscapeCommand.self,
            GetEnvironmentCommand.self, SetEnvironmentCommand.self, PromptCommand.self, PrintBufferCommand.self,
            WriteBufferCommand.self, HistoryCommand.self, SetCommand.self, UnsetCommand.self, GoCommand.self, ResetCommand.self,
            ErrorVerboseCommand.self, WatchCommand.self, EditCommand.self, RefreshCommand.self, CompleteCommand.self,
            PluginsCommand.self, RestrictCommand.self, UnrestrictCommand.self, CopyCommand.self,
            IfCommand.self, ElifCommand.self, ElseCommand.self, EndifCommand.self,
            GoExpandedCommand.self, GsetCommand.self, GexecCommand.self, GdescCommand.self, CrosstabviewCommand.self,
            ConnectCommand.self, ConnectShortCommand.self, PasswordCommand.self, EncodingCommand.self,
            LargeObjectImportCommand.self, LargeObjectExportCommand.self, LargeObjectUnlinkCommand.self,
            LargeObjectListCommand.self,
            ListSchemasCommand.self,
            ListAggregatesCommand.self, ListAccessMethodsCommand.self, ListOperatorClassesCommand.self,
            ListOperatorFamiliesCommand.self, ListOperatorFamilyOperatorsCommand.self,
            ListOperatorFamilyFunctionsCommand.self, ListConversionsCommand.self, ListCastsCommand.self,
            ListObjectDescriptionsCommand.self, ListDomainsCommand.self, ListFunctionsCommand.self,
            ListTextSearchConfigurationsCommand.self, ListTextSearchDictionariesCommand.self,
            ListTextSearchParsersCommand.self, ListTextSearchTemplatesCommand.self, ListOperatorsCommand.self,
            ListTypesCommand.self, ListEventTriggersCommand.self, ListLanguagesCommand.self,
            ListCollationsCommand.self, ListExtensionsCommand.self, ListExtendedStatisticsCommand.self,
            ShowFunctionSourceCommand.self, ShowViewSourceCommand.self, EditFunctionCommand.self, EditViewCommand.self,
            ListRolesCommand.self, ListRolesGroupsCommand.self, ListRoleSettingsCommand.self,
            ListPrivilegesCommand.self, ListPrivilegesZCommand.self, ListDefaultPrivilegesCommand.self,
            ListTablespacesCommand.self, ListForeignServersCommand.self, ListForeignTablesCommand.self,
            ListUserMappingsCommand.self, ListForeignDataWrappersCommand.self,
            ListPublicationsCommand.self, ListSubscriptionsCommand.self,
            ListDatabasesCommand.self, ListDatabasesLongCommand.self, ListLargeObjectsCommand.self,
            ListConfigurationParametersCommand.self,
            DescribeRelationCommand.self, ListTablesCommand.self, ListIndexesCommand.self, ListSequencesCommand.self,
            ListViewsCommand.self, ListMaterializedViewsCommand.self, ListForeignRelationsCommand.self,
            ListPartitionedRelationsCommand.self,
        ]
        return types.flatMap { type in
            let name = type.configuration.commandName!
            return ([name] + psqlAliases.filter { $0.value == name }.keys.sorted()).map { name in
                RegisteredCommand(name: name, summary: type.configuration.abstract, origin: "the shell", kind: .shell(type))
            }
        }
    }
}

extension Shell {
    /// The exit status when a script was stopped by an error.
    var exitStatusIfStopped: Int32? { stopStatus }
    var hadErrorInScript: Bool { hadError }
}
