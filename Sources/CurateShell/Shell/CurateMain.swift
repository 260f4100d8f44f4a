import CCurateSupport
import CurateKit
import Foundation
import BackupPlugin
import CheckPlugin
import FixPlugin
import RestorePlugin
import SQLPlugin

/// The shell's entry point. `curate` calls it with no extra plugins; a package that builds
/// "curate plus its own plugins" calls it with theirs, registered after the built-in ones.
public enum CurateMain {
    /// The built-in plugins, registered first.
    public static var builtInPlugins: [any CuratePlugin] {
        [SQLPassthroughPlugin(), CheckPlugin(), FixPlugin(), BackupPlugin(), RestorePlugin()]
    }

    /// Runs curate and returns its exit status.
    public static func run(arguments: [String] = Array(CommandLine.arguments.dropFirst()), plugins: [any CuratePlugin] = []) -> Int32 {
        let options: CurateOptions
        do {
            options = try CurateOptions.parse(arguments)
        } catch {
            let code = CurateOptions.exitCode(for: error)
            let message = CurateOptions.fullMessage(for: error)
            if code == .success {
                print(message)
                return 0
            }
            FileHandle.standardError.write(Data(("curate: " + message + "\n").utf8))
            return 1
        }
        return Launcher(options: options, extraPlugins: plugins).run()
    }
}

/// One run of curate: connect, register, read, and leave the transaction honest at the end.
private struct Launcher {
    let options: CurateOptions
    /// A Swift plugin package's own plugins (none for plain curate).
    let extraPlugins: [any CuratePlugin]

    func run() -> Int32 {
        let console = Console()
        let scripted = !options.command.isEmpty || options.file != nil
        let interactive = !scripted && isatty(0) != 0 && isatty(1) != 0
        curate_install_interrupt_handler()

        let loaded = PluginLoader(
            shellCommands: Self.shellCommands, extraPlugins: extraPlugins,
            folders: options.pluginDirectories, noPlugins: options.noPlugins
        ).load(environment: ProcessInfo.processInfo.environment)
        for warning in loaded.warnings { console.printError("curate: warning: " + warning) }
        for (plugin, _) in loaded.registry.plugins { plugin.load(from: loaded.searchPath, console: console) }
        let registry = loaded.registry

        var parameters = options.connectionParameters
        parameters.clientEncodingAuto = interactive && ProcessInfo.processInfo.environment["PGCLIENTENCODING"] == nil
        let session: Session
        switch connect(parameters) {
        case .success(let connected): session = connected
        case .failure(let error):
            console.printError("curate: error: \(error.message)")
            return 2
        }

        let variables = Variables()
        if options.readOnly {
            do {
                try session.configure(["SET default_transaction_read_only = on"])
                variables["READONLY"] = "on"
            } catch {
                console.printError("curate: error: could not make the session read-only: \(error)")
                return 2
            }
        }
        for assignment in options.variable {
            let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            variables[String(parts[0])] = String(parts[1])
        }
        let home = ProcessInfo.processInfo.environment["HOME"]
        let editor = interactive ? LineEditor(historyFile: home.map { $0 + "/.curate_history" }) : nil
        let shell = Shell(
            session: session,
            console: console,
            variables: variables,
            settings: options.outputSettings,
            registry: registry,
            isInteractive: interactive,
            lineEditor: editor,
            pluginSearchPath: loaded.searchPath
        )

        if !options.noStartupFile, let home, let startup = FileInput(path: home + "/.curaterc") {
            shell.process(startup, interactive: false)
            if let status = shell.exitStatusIfStopped { return status }
        }

        if scripted || !interactive {
            return runScript(shell)
        }
        console.print("curate \(CurateVersion.string) (server \(session.info.serverVersionString))\nType \\? for help, \\q to quit.\n")
        console.flush()
        while true {
            shell.process(editor!, interactive: true)
            if shell.session.transactionState.isOpen, !confirmExitWithOpenTransaction(shell) {
                shell.quitRequested = false
                continue
            }
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
        var sources: [any InputSource] = options.command.map { StringInput($0) }
        if let file = options.file {
            if file == "-" {
                sources.append(shell.standardInput)
            } else if let input = FileInput(path: file) {
                sources.append(input)
            } else {
                shell.console.printError("curate: error: \(file): \(String(cString: strerror(errno)))")
                return 1
            }
        }
        if options.command.isEmpty && options.file == nil {
            sources.append(shell.standardInput)
        }
        for source in sources where !shell.quitRequested && shell.exitStatusIfStopped == nil {
            shell.process(source, interactive: false)
        }
        shell.console.flush()
        let status = shell.exitStatusIfStopped ?? 0
        guard shell.session.isConnected else { return status == 0 ? 2 : status }

        if options.singleTransaction, shell.session.transactionState == .inTransaction, status == 0, !shell.hadErrorInScript {
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

    /// Connects; when the server wants a password and a terminal is there, asks for it.
    private func connect(_ parameters: ConnectionParameters) -> Result<Session, ConnectionError> {
        do {
            return .success(try Session(parameters: parameters))
        } catch where error.kind == .passwordRequired {
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

    static var shellCommands: [RegisteredCommand] {
        let types: [any BuiltinCommand.Type] = [
            QuitCommand.self, ListCommandsCommand.self, HelpCommand.self, TimingCommand.self,
            ExpandedCommand.self, PsetCommand.self, OutputCommand.self, IncludeCommand.self,
            EchoCommand.self, SetCommand.self, UnsetCommand.self, GoCommand.self, ResetCommand.self,
            ErrorVerboseCommand.self, WatchCommand.self, EditCommand.self, RefreshCommand.self, CompleteCommand.self,
            PluginsCommand.self, RestrictCommand.self, UnrestrictCommand.self, CopyCommand.self,
            ConnectCommand.self, ConnectShortCommand.self, PasswordCommand.self, EncodingCommand.self,
            LargeObjectImportCommand.self, LargeObjectExportCommand.self, LargeObjectUnlinkCommand.self,
            LargeObjectListCommand.self, LargeObjectListVerboseCommand.self,
        ]
        return types.map { type in
            RegisteredCommand(
                name: type.configuration.commandName!,
                summary: type.configuration.abstract,
                origin: "the shell",
                kind: .shell(type)
            )
        }
    }
}

extension Shell {
    /// The exit status when a script was stopped by an error.
    var exitStatusIfStopped: Int32? { stopStatus }
    var hadErrorInScript: Bool { hadError }
}
