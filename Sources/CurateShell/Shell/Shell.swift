import ArgumentParser
import CCurateSupport
import CurateKit
import Foundation

/// The read-dispatch loop: lines in, statements to the SQL handler, `\commands` to the registry,
/// errors reported where they happened, the transaction state kept honest.
final class Shell {
    let session: Session
    let console: Console
    let variables: Variables
    // `@exclusivity(unchecked)` here and below: read and written for every statement, on the
    // shell's one thread; the runtime's check of each access cost more than the access (decisions.md).
    @exclusivity(unchecked) var settings: OutputSettings {
        didSet { reusableContext = nil }
    }
    /// The context the last statement ran with: the next one runs with it too when nothing it
    /// was made from changed (making one per statement was a measurable part of a script's time).
    @exclusivity(unchecked) private var reusableContext: (key: ContextKey, context: CommandContext)?
    let registry: CommandRegistry
    /// True when a person is at the terminal (the session as a whole, not one input).
    let isInteractive: Bool
    @exclusivity(unchecked) var timing = false
    let pager = Pager()
    /// Names for Tab completion (interactive sessions only).
    let catalog = CatalogCache()
    /// The last server error, for `\errverbose`.
    var lastError: ServerError?
    /// The last SQL statement sent, for `\watch` and `\e`.
    @exclusivity(unchecked) var lastStatement: String?
    /// Standard input, read by one reader for the whole run: a script piped in, and the COPY data
    /// of `-c` commands and of the terminal, so no read-ahead of one is lost to the other.
    let standardInput = FileInput(descriptor: 0, name: "<stdin>", ownsDescriptor: false)
    /// The inputs being read, innermost last (`\i` pushes one).
    @exclusivity(unchecked) private(set) var frames: [InputFrame] = []
    /// The encoding `syncEncoding` last found in ENCODING, and the `variables.version` then.
    @exclusivity(unchecked) private var lastSyncedEncoding: (name: String, version: Int)?
    /// The result variables last set, and the `variables.version` just after.
    @exclusivity(unchecked) private var resultVariablesSet: (values: ResultVariables, version: Int)?
    /// `variableSettings`, and the `variables.version` it was read at.
    @exclusivity(unchecked) private var cachedVariableSettings: (version: Int, settings: VariableSettings)?
    /// Set by `\restrict`: until `\unrestrict` gives it, no other backslash command runs.
    var restrictKey: String?
    /// The width of the last PROMPT1 shown, for `%w` in PROMPT2.
    var lastFirstPromptWidth = 0
    /// The file or program `\o` sends results to.
    var outputTarget: OutputProgram?
    /// Set by `\q`.
    var quitRequested = false
    /// Set when a script must stop: the exit status.
    @exclusivity(unchecked) private(set) var stopStatus: Int32?
    /// Whether any statement or command failed (for `-1`).
    @exclusivity(unchecked) private(set) var hadError = false {
        didSet { if hadError { errorCount += 1 } }
    }
    /// How many failures were reported so far (a `-c` string's own failure is told by the count).
    @exclusivity(unchecked) private(set) var errorCount = 0
    /// Whether the last statement failed (`\watch` stops then).
    @exclusivity(unchecked) private(set) var hadStatementError = false
    let lineEditor: LineEditor?
    /// The trusted plugin folders, for plugins that re-read their files.
    let pluginSearchPath: PluginSearchPath

    init(
        session: Session,
        console: Console,
        variables: Variables,
        settings: OutputSettings,
        registry: CommandRegistry,
        isInteractive: Bool,
        lineEditor: LineEditor?,
        pluginSearchPath: PluginSearchPath = .empty
    ) {
        self.pluginSearchPath = pluginSearchPath
        self.session = session
        self.console = console
        self.variables = variables
        self.settings = settings
        self.registry = registry
        self.isInteractive = isInteractive
        self.lineEditor = lineEditor
        // A notice is located like an error: at the line the input has reached (psql's rule).
        session.noticeHandler = { [weak self, console] notice in
            guard let self else { return console.printError(notice.formatted()) }
            console.printError(self.styledMessage(self.messagePrefix() + notice.formatted(), severity: notice.severity))
        }
        updateConnectionVariables()
        // A question must not hide behind held or paged output, nor a message appear above the
        // result it follows: show that output first.
        // unowned: the console owns these closures; a strong capture would be a cycle that is never freed.
        console.beforeQuestion = { [pager, unowned console] in pager.end(console: console) }
        console.beforeMessage = { [pager, unowned console] in pager.showHeld(console: console) }
        if isInteractive, console.errorIsTerminal {
            let spinner = Spinner(console: console)
            session.queryWaiting = { spinner.update(elapsed: $0) }
            session.queryWaitEnded = { spinner.clear() }
        }
        lineEditor?.completer = { [weak self] textBeforeCursor in
            self?.completions(for: textBeforeCursor) ?? []
        }
    }

    // MARK: Reading input

    /// Reads `source` to its end (or to `\q`, or to an error that stops a script).
    func process(_ source: any InputSource, interactive: Bool) {
        let frame = InputFrame(source: source, isInteractive: interactive)
        frames.append(frame)
        defer { frames.removeLast() }
        var history = PendingHistoryEntry(recording: interactive)

        while !quitRequested && stopStatus == nil {
            if interactive { catalog.refreshIfNeeded(session: session) }
            let prompt = interactive ? Prompt.render(shell: self, frame: frame) : ""
            _ = curate_take_interrupt()
            switch source.nextLine(prompt: prompt) {
            case .endOfInput:
                finishInput(of: frame)
                return
            case .interrupted:
                frame.splitter.clearBuffer()
                history.discard()
                leaveInnermostBlockAfterInterrupt(in: frame)
            case .refused(let reason, let stopsScript):
                frame.splitter.clearBuffer()
                history.discard()
                fail(
                    message: reason + "; nothing of the statement it belongs to was sent",
                    in: frame, line: source.lineNumber
                )
                // A NUL: the script is not what its author sees in an editor, and the rest of the
                // statement could run on its own: stop, whatever ON_ERROR_STOP says.
                if stopsScript && !interactive { stopStatus = 3 }
            case .line(let text):
                history.add(text)
                // As psql's lexer: backslashes in '...' escape when the server says strings are
                // not standard-conforming (read again for each line, as a SET may change it).
                frame.splitter.standardConformingStrings = session.standardConformingStrings
                echoInputLine(text, in: frame)
                runLine(text, lineNumber: source.lineNumber, in: frame)
                if interactive, frame.splitter.bufferIsEmpty, let entry = history.take() {
                    lineEditor?.remember(entry)
                }
            }
        }
    }

    /// End of input: a statement without a final `;` still runs (as in psql); an unterminated
    /// quote or comment is an error, never a wait for more.
    private func finishInput(of frame: InputFrame) {
        do {
            // (In an `\if` branch not taken, the unfinished statement is dropped, as psql does.)
            if let statement = try frame.splitter.finish(), frame.conditionals.isActive {
                execute(.statement(statement), in: frame)
            }
        } catch {
            fail(message: error.message, in: frame, line: error.line)
        }
        if !quitRequested, stopStatus == nil { checkBlocksClosed(atEndOf: frame) }
    }

    /// Interpolates `:name`, `:'name'` and `:"name"` (quoted by libpq's rules).
    func resolveVariable(_ reference: VariableReference) -> String? {
        if reference.quoting == .existence { return variables[reference.name] == nil ? "FALSE" : "TRUE" }
        guard let value = variables[reference.name] else { return nil }
        switch reference.quoting {
        case .none: return value
        case .literal: return session.quoteLiteral(value)
        case .identifier: return session.quoteIdentifier(value)
        case .existence: return "TRUE"
        }
    }

    // MARK: Dispatch

    func execute(_ item: InputItem, in frame: InputFrame) {
        // `\connect` makes a new connection itself: one that was lost is not reconnected first.
        if !(item.isConnectCommand && !session.isConnected) {
            guard recoverConnection(in: frame) else { return }
        }
        pager.begin(console: console, interactive: frame.isInteractive, minLines: settings.pagerMinLines)
        defer { pager.end(console: console) }
        switch item {
        case .statement(let statement):
            run(statement, in: frame)
        case .command(let invocation):
            run(invocation, in: frame)
        }
    }

    /// Before anything runs on a lost connection: reconnect and say what was lost. A command
    /// typed after a transaction was lost is not run: it was meant for that transaction.
    /// A connection that broke while curate waited (the server restarted, the network cut) is
    /// found here too, before this command is sent into it.
    private func recoverConnection(in frame: InputFrame) -> Bool {
        // A script's statements follow one another at once: looked for only after a pause.
        if let loss = session.detectLoss(quietFor: frame.isInteractive ? 0 : 0.05) {
            report(loss, in: frame, line: frame.source.lineNumber, statement: nil, foundWhileIdle: true)
            if stopStatus != nil { return false }
        }
        guard !session.isConnected else { return true }
        do {
            guard let recovery = try session.recover() else { return true }
            updateConnectionVariables()
            console.printError("curate: reconnected to database \"\(session.info.database)\".")
            // The session is not as it was set up (it may be writable although read-only was
            // asked for): the command is not run on it.
            if !recovery.setupFailures.isEmpty {
                let failures = recovery.setupFailures.map(\.description).joined(separator: "; ")
                fail(message: "after reconnecting, a session setting could not be made again (\(failures)); this command was not run", in: frame, line: frame.source.lineNumber)
                return false
            }
            if recovery.transactionLost {
                fail(
                    message: "the transaction that was open when the connection was lost has been rolled back by the server; nothing of it was committed. This command was not run, so that it does not run outside the transaction it was meant for: run it again to run it on its own.",
                    in: frame, line: frame.source.lineNumber
                )
                return false
            }
            return true
        } catch {
            fail(message: "not connected, and reconnecting failed: \(error.message)", in: frame, line: frame.source.lineNumber)
            return false
        }
    }

    /// Runs one SQL statement through the registered statement handler. `copyStreams`: where its
    /// COPY data comes from and goes (`\copy`); by default the statement's own input and the
    /// result output. `perform`: runs the statement in place of the statement handler, for a
    /// command that does something else with the result (`\gset`, `\gexec`).
    func run(
        _ statement: SQLStatement, in frame: InputFrame, copyStreams: StatementCopyStreams? = nil,
        perform: ((String) throws -> Void)? = nil
    ) {
        guard let handler = registry.statementHandler else {
            fail(message: "no plugin handles SQL statements", in: frame, line: frame.source.lineNumber)
            return
        }
        // No need to ask in a read-only session outside a transaction: the server refuses writes.
        if frame.isInteractive, variables.bool("GUARD", default: true), !(session.isReadOnly && session.transactionState == .idle) {
            do {
                guard try DestructiveGuard(session: session).allows(statement.text, context: makeContext(frame)) else {
                    console.printError("Not sent.")
                    return
                }
            } catch {
                report(error, in: frame, line: frame.source.lineNumber, statement: statement.text)
                return
            }
        }
        guard confirmSending(statement.text) else {
            failWithoutMessage(in: frame)
            return
        }
        let flags = variableSettings
        let started = StatementTiming.now()
        lastStatement = statement.text
        do {
            // AUTOCOMMIT off: psql opens a transaction before the statement (except before those
            // that cannot run in one, and transaction control itself).
            if !flags.autocommit, session.transactionState == .idle,
                !AutocommitRule.exempts(statement.text)
            {
                try session.execute("BEGIN")
            }
        } catch {
            report(error, in: frame, line: frame.source.lineNumber, statement: statement.text)
            hadStatementError = true
            return
        }
        // psql's ON_ERROR_ROLLBACK: a savepoint before each statement in an open transaction, so
        // an error undoes only that statement and keeps the work before it.
        let protect = onErrorRollbackApplies(flags.onErrorRollback, in: frame) && session.transactionState == .inTransaction
        let context = makeContext(isInteractive: frame.isInteractive, fetchCount: Self.fetchCount(for: statement.text, count: flags.fetchCount))
        // Made only for a COPY: most statements have none.
        session.copyStreams = { [unowned self, frame] in
            let streams = copyStreams ?? self.copyStreams(for: frame)
            streams.onWriteFailure = { [unowned self, frame] message in fail(message: message, in: frame, line: frame.source.lineNumber) }
            return streams
        }
        defer { session.copyStreams = nil }
        var savepoint: TransactionScope?
        do {
            if protect { savepoint = try TransactionScope.openSavepoint(in: session, named: "curate_statement") }
            if let perform {
                try perform(statement.text)
            } else {
                try handler.execute(statement.text, context: context)
            }
            console.flush()
            // The statement's own tag, before the savepoint's RELEASE replaces it.
            let tag = session.lastCommandTag
            if let savepoint, session.transactionState == .inTransaction, !Self.managesSavepoints(tag) {
                try savepoint.commit()
            }
            // psql's result variables, after the user's statements only.
            setResultVariables(.succeeded(rowCount: tag.map(Self.rowCount) ?? "0", lastOID: session.lastOID.map { String($0) }))
            hadStatementError = false
            if let tag, Self.changesSchema(tag) { catalog.invalidate() }
            // The statement ran, but its result could not be written to the `\o` target.
            if console.isRedirected, let failure = console.output.takeFailure() {
                report(ShellFailure("could not print result table: \(String(cString: strerror(failure)))"), in: frame, line: frame.source.lineNumber, statement: nil)
            }
        } catch {
            console.flush()
            // psql's ON_ERROR_ROLLBACK rolls back to the savepoint and keeps it.
            var rollbackFailure: (any Error)?
            if let savepoint, session.transactionState == .failed {
                do { try savepoint.rollBack(keepingSavepoint: true) } catch { rollbackFailure = error.error }
            }
            let error = (error as? TransactionError)?.reported ?? error
            setResultVariables(.failed(error))
            report(error, in: frame, line: frame.source.lineNumber, statement: statement.text)
            if let rollbackFailure {
                printShellError("ON_ERROR_ROLLBACK could not roll back to its savepoint: \(TransactionError.text(of: rollbackFailure)); the transaction has failed",
                                location: messagePrefix(in: frame, line: frame.source.lineNumber))
            }
            hadStatementError = true
        }
        syncEncoding()
        printTiming(since: started)
    }

    /// Where a statement's COPY data comes from: the script or `\i` file it is in; standard input
    /// for `-c` and at the terminal (as psql).
    func copyStreams(for frame: InputFrame) -> StatementCopyStreams {
        copyStreams(reading: (frame.source as? FileInput) ?? standardInput)
    }

    /// COPY FROM STDIN reading `input` (COPY TO STDOUT writing to the result output).
    func copyStreams(reading input: FileInput) -> StatementCopyStreams {
        StatementCopyStreams(
            input: input, output: console.output, showsCopyOutStatus: false, console: console,
            quiet: variableSettings.quiet, prompt: variableSettings.copyPrompt)
    }

    /// COPY TO STDOUT writing to `output`, its status line printed when `showsStatus`.
    func copyStreams(writing output: OutputWriter, showsStatus: Bool) -> StatementCopyStreams {
        StatementCopyStreams(
            input: nil, output: output, showsCopyOutStatus: showsStatus, console: console,
            quiet: variableSettings.quiet, prompt: variableSettings.copyPrompt)
    }

    /// psql's ROW_COUNT from a command tag (its `PQcmdTuples`): the count of rows a SELECT,
    /// INSERT, UPDATE, DELETE, MERGE, MOVE, FETCH or COPY reported; 0 for other statements.
    static func rowCount(_ tag: String) -> String {
        // Read on bytes: it runs after every statement.
        var tag = tag
        return tag.withUTF8 { bytes in
            guard let firstSpace = bytes.firstIndex(of: UInt8(ascii: " ")),
                let lastSpace = bytes.lastIndex(of: UInt8(ascii: " ")),
                rowCountingTags.contains(where: { $0.elementsEqual(bytes[..<firstSpace]) })
            else { return "0" }
            let count = bytes[(lastSpace + 1)...]
            guard !count.isEmpty, count.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return "0" }
            return String(decoding: count, as: UTF8.self)
        }
    }

    private static let rowCountingTags: [[UInt8]] = ["SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "MOVE", "FETCH", "COPY"].map { Array($0.utf8) }

    /// FETCH_COUNT for this statement: psql fetches only a SELECT or VALUES through a cursor.
    static func fetchCount(for sql: String, count: Int) -> Int {
        guard count > 0 else { return 0 }
        var words = LeadingWords(sql)
        words.skipOpeningParentheses()
        let first = words.next()
        return first == "select" || first == "values" ? count : 0
    }

    /// DDL (by its command tag) makes the completion cache stale.
    static func changesSchema(_ tag: String) -> Bool {
        // By the first letter first: it runs after every statement.
        switch tag.utf8.first {
        case UInt8(ascii: "C"): return tag.hasPrefix("CREATE")
        case UInt8(ascii: "A"): return tag.hasPrefix("ALTER")
        case UInt8(ascii: "D"): return tag.hasPrefix("DROP")
        case UInt8(ascii: "S"): return tag.hasPrefix("SELECT INTO")
        case UInt8(ascii: "I"): return tag == "IMPORT FOREIGN SCHEMA"
        case UInt8(ascii: "R"): return tag == "ROLLBACK"
        default: return false
        }
    }

    /// ON_ERROR_ROLLBACK: `on` everywhere, `interactive` at the prompt only, `off` never.
    private func onErrorRollbackApplies(_ setting: VariableSettings.OnErrorRollback, in frame: InputFrame) -> Bool {
        switch setting {
        case .interactive: return frame.isInteractive
        case .on: return true
        case .off: return false
        }
    }

    /// psql leaves its savepoint alone when the user's own statement ended or moved savepoints.
    private static func managesSavepoints(_ tag: String?) -> Bool {
        guard let tag else { return true }
        return tag.hasPrefix("COMMIT") || tag == "SAVEPOINT" || tag == "RELEASE" || tag == "ROLLBACK"
    }

    /// Runs a backslash command from the registry.
    func run(_ invocation: CommandInvocation, in frame: InputFrame) {
        if restrictKey != nil, invocation.name != "unrestrict" {
            fail(message: "backslash commands are restricted; only \\unrestrict is allowed", in: frame, line: invocation.line)
            return
        }
        guard let command = registry.command(named: invocation.name) else {
            if NotImplementedCommands.names.contains(invocation.name) {
                fail(message: NotImplementedCommands.message(for: invocation.name), in: frame, line: invocation.line)
                return
            }
            // psql's words; at the terminal, with the commands the name may have been meant as.
            guard frame.isInteractive else {
                fail(message: "invalid command \\\(invocation.name)", in: frame, line: invocation.line)
                return
            }
            let suggestions = registry.suggestions(for: invocation.name).map { "\\" + $0 }
            var message = "invalid command \\\(invocation.name)"
            message += DidYouMean.phrase(suggestions)
            message += "\nTry \\? for help."
            fail(message: message, in: frame, line: invocation.line)
            return
        }
        if case .shell(let type) = command.kind, let slashType = type as? any SlashCommand.Type {
            runSlashCommand(slashType, invocation, in: frame)
            return
        }
        let arguments: [String]
        do {
            if case .shell(let type) = command.kind, type.takesWholeLine || type.readsRawArguments {
                let text = invocation.argumentText.trimmingCharacters(in: .whitespaces)
                arguments = text.isEmpty ? [] : ["--", text]
            } else {
                arguments = try ArgumentTokenizer.split(invocation.argumentText, line: invocation.line, resolve: resolveVariable)
            }
        } catch {
            fail(message: "\\\(invocation.name): \(error.message)", in: frame, line: invocation.line)
            return
        }
        let started = StatementTiming.now()
        do {
            switch command.kind {
            case .shell(let type):
                try runBuiltin(type, arguments: arguments)
            case .plugin(let type):
                try runPlugin(type, arguments: arguments, context: makeContext(frame, plugin: command.plugin))
            case .external(let plugin):
                try plugin.run(arguments: arguments, context: makeContext(frame))
            }
            console.flush()
        } catch let error as CommandLineError {
            console.flush()
            if error.isHelp {
                console.print(command.helpText)
            } else {
                fail(message: "\\\(command.name): \(error.message)", hint: "usage: \(command.usageText)\nsee \\help \(command.name)", in: frame, line: invocation.line)
            }
            return
        } catch let request as ScriptExitRequest {
            // A monitoring result (`\check --format nagios`): its status ends a script, silently.
            console.flush()
            if !frame.isInteractive, request.status != 0 { stopScript(status: request.status) }
            return
        } catch {
            console.flush()
            report(error, in: frame, line: invocation.line, statement: nil, command: command.name)
            return
        }
        if case .shell = command.kind {} else { printTiming(since: started) }
    }

    private func runBuiltin<C: BuiltinCommand>(_ type: C.Type, arguments: [String]) throws {
        var command = try parse(type, arguments)
        try command.run(shell: self)
    }

    private func runPlugin<C: CurateCommand>(_ type: C.Type, arguments: [String], context: CommandContext) throws {
        var command = try parse(type, arguments)
        try CapabilityGate.check(command.invocationCapabilities(context: context), session: session)
        try command.run(context: context)
    }

    /// argument-parser's parse, with its errors (and `--help`) turned into one type.
    private func parse<C: ParsableCommand>(_ type: C.Type, _ arguments: [String]) throws -> C {
        do {
            return try C.parse(arguments)
        } catch {
            let isHelp = C.exitCode(for: error) == .success
            var message = C.message(for: error)
            if message.hasPrefix("Error: ") { message.removeFirst(7) }
            throw CommandLineError(message: message, isHelp: isHelp)
        }
    }

    func makeContext(_ frame: InputFrame, plugin: (any CuratePlugin)? = nil) -> CommandContext {
        makeContext(isInteractive: frame.isInteractive, plugin: plugin)
    }

    /// `fetchCount`: rows per batch of aligned output (FETCH_COUNT, for a statement that psql fetches through a cursor).
    func makeContext(isInteractive: Bool, fetchCount: Int = 0, plugin: (any CuratePlugin)? = nil) -> CommandContext {
        let flags = variableSettings
        let key = ContextKey(
            isInteractive: isInteractive, fetchCount: fetchCount,
            // Read at each command: the window may have been resized.
            terminalWidth: console.outputIsTerminal ? TerminalSize.of(1)?.columns : nil,
            color: colorAllowed && console.outputIsTerminal, quiet: flags.quiet,
            showsAllResults: flags.showAllResults)
        if plugin == nil, let reusable = reusableContext, reusable.key == key { return reusable.context }
        var settings = settings
        settings.fetchCount = key.fetchCount
        settings.terminalWidth = key.terminalWidth
        settings.color = key.color
        settings.quiet = key.quiet
        settings.showsAllResults = key.showsAllResults
        let context = CommandContext(
            session: session, console: console, variables: variables, settings: settings, isInteractive: isInteractive,
            pluginSearchPath: pluginSearchPath, plugin: plugin
        )
        if plugin == nil { reusableContext = (key, context) }
        return context
    }

    /// What a command context is made from besides the output settings.
    private struct ContextKey: Equatable {
        var isInteractive: Bool
        var fetchCount: Int
        var terminalWidth: Int?
        var color: Bool
        var quiet: Bool
        var showsAllResults: Bool
    }

    /// Colour only for a person at a terminal, never with `NO_COLOR` set, with `TERM=dumb` or after `\set COLOR off`.
    var colorAllowed: Bool {
        isInteractive && TerminalStyle.environmentAllowsColor(ProcessInfo.processInfo.environment) && variables.bool("COLOR", default: true)
    }

    /// An error or warning for stderr: its first line red (errors) or yellow (warnings) in colour.
    func styledMessage(_ text: String, severity: String) -> String {
        guard colorAllowed, console.errorIsTerminal else { return text }
        let style: [UInt8]
        switch severity {
        case "ERROR", "FATAL", "PANIC": style = TerminalStyle.red
        case "WARNING": style = TerminalStyle.yellow
        default: return text
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[0] = TerminalStyle.apply(style, to: lines[0])
        return lines.joined(separator: "\n")
    }

    /// `--read-only` and `\set READONLY`: leaving read-only mode asks first (and is refused in scripts).
    func setReadOnly(_ readOnly: Bool) throws {
        if readOnly {
            try session.configure(["SET default_transaction_read_only = on"])
            return
        }
        guard session.isReadOnly, let frame = frames.last else { return }
        guard try makeContext(frame).confirm("Leave read-only mode? Statements will be able to change data.", assumeYes: false) else {
            throw CommandError("the session stays read-only")
        }
        try session.configure(["SET default_transaction_read_only = off"])
    }

    private func printTiming(since started: Double) {
        guard timing else { return }
        console.print(StatementTiming.format(milliseconds: StatementTiming.now() - started))
        console.flush()
    }

    // MARK: Errors

    /// Reports an error where it happened; in a script, stops it (ON_ERROR_STOP, on by default).
    /// `foundWhileIdle`: a lost connection found before the next command was sent, which
    /// `recoverConnection` then reports the transaction of.
    func report(_ error: any Error, in frame: InputFrame, line: Int, statement: String?, command: String? = nil, foundWhileIdle: Bool = false) {
        let location = messagePrefix(in: frame, line: line)
        hadError = true
        switch error {
        case let error as ServerError:
            lastError = error
            variables["LAST_ERROR_MESSAGE"] = error.message
            variables["LAST_ERROR_SQLSTATE"] = error.sqlState
            // libpq's text, as psql prints it (VERBOSITY and SHOW_CONTEXT shaped it); for an
            // error a plugin changed, one built from its fields.
            let text = error.libpqText ?? error.formatted(verbose: session.errorVerbosity == .verbose)
            console.printError(styledMessage(location + text, severity: error.severity))
            echoFailedQuery(statement, location: location)
        case let error as ConnectionError:
            var text = location + "the connection to the server was lost: \(error.message)"
            // (Found before an interactive command, the lost transaction is reported with the
            // command's refusal, just after.)
            if error.transactionLost && !(foundWhileIdle && frame.isInteractive) {
                text += "\nThe transaction that was open is lost: the server rolls it back, and nothing of it was committed."
            }
            if error.commitOutcomeUnknown {
                text += "\nThe connection broke while the transaction was being committed: whether it was committed is not known (the server may have committed it before). Look at the data before doing the work again."
            }
            // A script stops even with ON_ERROR_STOP off when a transaction was lost (psql always
            // stops): the statements after it were written for that transaction, and would
            // otherwise run one by one in autocommit, committing half of the change.
            let transactionInDoubt = error.transactionLost || error.commitOutcomeUnknown
            if !frame.isInteractive && !stopsOnError && transactionInDoubt {
                text += "\nThe script stops here although ON_ERROR_STOP is off: the rest of it was written for that transaction."
            }
            console.printError(text)
            if !frame.isInteractive && (stopsOnError || transactionInDoubt) { stopStatus = 2 }
            return
        case let error as LibpqMessage:
            // libpq's own words, as psql prints them (a large-object call, `\password`).
            console.printError(styledMessage(location + error.text, severity: "ERROR"))
        case let error as ShellFailure:
            printShellError(error.message, location: location)
        case let error as SpecialVariable.Refusal:
            // psql's own words for a refused value, without the command's name.
            printShellError(error.message, location: location)
        case let error as CommandError:
            let prefix = command.map { "\\\($0): " } ?? ""
            printShellError(prefix + error.message + (error.hint.map { "\nHINT:  \($0)" } ?? ""), location: location)
        case is CommandCancelled:
            printShellError((command.map { "\\\($0): " } ?? "") + "cancelled", location: location)
        default:
            printShellError((command.map { "\\\($0): " } ?? "") + "\(error)", location: location)
        }
        stopIfScript(frame)
    }

    /// Ends the script being read with `status` unless an error already stopped it; inside an
    /// `\i` at the terminal the person carries on (status 3, as for a stopped `\i`).
    func stopScript(status: Int32) {
        guard stopStatus == nil else { return }
        stopStatus = frames.first?.isInteractive == true ? 3 : status
    }

    /// A warning that does not fail the command (psql's "extra argument ignored").
    func warn(_ message: String, in frame: InputFrame) {
        let location = frame.isInteractive ? "" : "curate:\(frame.source.name):\(frame.source.lineNumber): "
        console.printError(styledMessage(location + "warning: " + message, severity: "WARNING"))
    }

    /// After `\connect` put a new connection in place: its variables, and no stale completions.
    func connectionReplaced() {
        catalog.invalidate()
        updateConnectionVariables()
    }

    /// Reports a shell-level failure (bad input, unknown command).
    func fail(message: String, hint: String? = nil, in frame: InputFrame, line: Int) {
        hadError = true
        printShellError(message + (hint.map { "\nHINT:  \($0)" } ?? ""), location: messagePrefix(in: frame, line: line))
        stopIfScript(frame)
    }

    /// A failure already reported where it happened (a command that prints its error, then
    /// goes on as psql does): counted like any other.
    func failReported(in frame: InputFrame) {
        hadError = true
        stopIfScript(frame)
    }

    /// curate's own error, shaped as psql shapes its own: `curate:FILE:LINE: error: message`
    /// while reading a file, the bare message otherwise.
    func printShellError(_ message: String, location: String) {
        let text = location.isEmpty ? message : location + "error: " + message
        console.printError(styledMessage(text, severity: "ERROR"))
    }

    /// psql's location prefix for every message, the server's and its own: `curate:FILE:LINE: `
    /// while a file is being read (`-f FILE`, `\i FILE`, `-f -` as `<stdin>`); nothing at the
    /// prompt, for `-c` and for standard input read without `-f`. LINE is the line the input
    /// has reached (where the statement ended), or `line` when given.
    func messagePrefix(in frame: InputFrame? = nil, line: Int? = nil) -> String {
        guard let frame = frame ?? frames.last, !frame.isInteractive, !frame.source.name.isEmpty else { return "" }
        return "curate:\(frame.source.name):\(line ?? frame.source.lineNumber): "
    }

    /// A statement not sent (SINGLESTEP's `x`): a failure psql reports with no message.
    func failWithoutMessage(in frame: InputFrame) {
        hadError = true
        variables["ERROR"] = "true"
        stopIfScript(frame)
    }

    /// Reports a warning about the input (`warning: MESSAGE`, located as `fail` locates errors).
    func warn(message: String, in frame: InputFrame, line: Int) {
        let location = frame.isInteractive ? "curate: " : "curate:\(frame.source.name):\(line): "
        console.printError(styledMessage(location + "warning: " + message, severity: "WARNING"))
    }

    private var stopsOnError: Bool { variableSettings.onErrorStop }

    private func stopIfScript(_ frame: InputFrame) {
        guard !frame.isInteractive, stopsOnError else { return }
        stopStatus = 3
    }

    /// An `\i` file stopped at an error: back at the prompt the person carries on.
    func resumeAfterIncludedScript() {
        if let frame = frames.last, frame.isInteractive, stopStatus != 2 { stopStatus = nil }
    }

    static func abbreviate(_ statement: String, limit: Int = 200) -> String {
        let oneLine = statement.split(whereSeparator: \.isNewline).joined(separator: " ")
        return oneLine.count > limit ? String(oneLine.prefix(limit)) + "…" : oneLine
    }

    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " or " + items.last!
        }
    }

    // MARK: Session variables and completion

    func updateConnectionVariables() {
        let info = session.info
        variables["DBNAME"] = info.database
        variables["USER"] = info.user
        variables["HOST"] = info.host
        variables["PORT"] = info.port
        variables["SERVER_VERSION_NUM"] = String(info.serverVersion)
        variables["SERVER_VERSION_NAME"] = info.serverVersionString
        syncEncoding()
        // libpq's message settings belong to the connection: the session applies them to a new one.
        applyMessageVariables()
    }

    /// VERBOSITY and SHOW_CONTEXT, as psql's hooks apply them when they change.
    func applyMessageVariables() {
        session.errorVerbosity = variables["VERBOSITY"].flatMap { ErrorVerbosity(rawValue: $0.lowercased()) } ?? .default
        session.errorContextVisibility = variables["SHOW_CONTEXT"].flatMap { ErrorContextVisibility(rawValue: $0.lowercased()) } ?? .errors
    }

    /// ENCODING follows the client encoding, also after `SET client_encoding` (as psql, which
    /// reads it from the connection after each statement).
    /// psql's ERROR, SQLSTATE, ROW_COUNT and LASTOID after a statement: left alone when they
    /// hold these values already (no variable changed since they were set), as is the rule
    /// after a script's thousands of alike statements.
    func setResultVariables(_ values: ResultVariables) {
        if let set = resultVariablesSet, set.version == variables.version, set.values == values { return }
        variables["ERROR"] = values.error
        variables["SQLSTATE"] = values.sqlState
        variables["ROW_COUNT"] = values.rowCount
        if let oid = values.lastOID { variables["LASTOID"] = oid }
        resultVariablesSet = (values, variables.version)
    }

    /// The psql variables read around every statement, read again only after a variable changed.
    var variableSettings: VariableSettings {
        if let cached = cachedVariableSettings, cached.version == variables.version { return cached.settings }
        let settings = VariableSettings(variables)
        cachedVariableSettings = (variables.version, settings)
        return settings
    }

    func syncEncoding() {
        guard let encoding = session.clientEncoding, encoding != lastSyncedEncoding?.name || variables.version != lastSyncedEncoding?.version else { return }
        if variables["ENCODING"] != encoding { variables["ENCODING"] = encoding }
        lastSyncedEncoding = (encoding, variables.version)
    }

    /// Tab completion, from the registry, the file system and the catalog cache; a command's own
    /// bounded query (`\row`'s key values) only when no transaction is open.
    func completions(for textBeforeCursor: String) -> [String] {
        let pending = frames.last?.splitter.buffer ?? ""
        var provider = CompletionProvider(registry: registry, variables: variables, catalog: catalog.snapshot)
        if session.isConnected && session.transactionState == .idle { provider.idleSession = session }
        return provider.candidates(for: textBeforeCursor, statementSoFar: pending.isEmpty ? "" : pending + "\n")
    }
}

/// A command line that argument-parser refused, or a `--help` request.
struct CommandLineError: Error {
    let message: String
    let isHelp: Bool
}
