import CurateKit

/// One invocation of an external plugin: start it, read its `hello`, put its capabilities
/// through the host's gate, open its scope in the shared session, then serve its requests until
/// it finishes; commit or roll back its work; on any failure stop it and say what happened.
final class PluginRun {
    let plugin: ExternalPlugin
    let context: CommandContext
    /// Seconds the plugin may stay silent (queries and questions to the user do not count).
    let timeout: Double
    private var session: Session { context.session }
    private var process: PluginProcess?
    private var scope: PluginScope?
    private var lineNumber = 0
    private var progress: Progress?
    private var typeNames = ColumnTypeNames()
    /// A statement of the plugin failed and left its transaction unusable (until a savepoint
    /// of its own undid it): finishing "ok" then cannot keep its work.
    private var failedStatement: String?
    /// The plugin's scope was read-only (known once it was opened).
    private var readOnly = false
    /// The streamed table being printed (`table_begin` ... `table_end`), and its column count.
    private var table: (sink: TableRowSink, columns: Int)?
    /// The user's session was read-only (`--read-only`) when the plugin started.
    private var sessionReadOnly = false
    /// A statement failed because the plugin wrote without declaring `writes`: the hint to give.
    private var undeclaredWriteHint: String?

    init(plugin: ExternalPlugin, context: CommandContext, timeout: Double) {
        self.plugin = plugin
        self.context = context
        self.timeout = timeout
    }

    private var cancelled: () -> Bool { { [context] in context.isCancelled } }

    /// What went wrong, in words; every path out of `run` that is not success throws one.
    private struct Failure: Error {
        let what: String
        var hint: String?
        /// Whether the plugin itself reported the failure (`finish` with an error).
        var reportedByPlugin = false
        /// The child closed its end: how it exited is worth naming.
        var childEnded = false
    }

    func run(arguments: [String]) throws {
        context.console.flush()
        // The arguments go in argv too, so the hello can declare what this invocation needs.
        let process = try PluginProcess(path: plugin.path, arguments: arguments, environment: plugin.environment(describing: false))
        self.process = process
        do {
            try serve(arguments: arguments, process: process)
        } catch let failure as Failure {
            throw conclude(failure)
        } catch {
            // The gate's refusal, a lost connection, a server error of the scope itself.
            cleanUp()
            throw error
        }
    }

    private func serve(arguments: [String], process: PluginProcess) throws {
        let hello = try readHello()
        // The host's rule, up front, before any SQL: the same gate as for every command.
        try CapabilityGate.check(hello.capabilities, session: session)
        if session.transactionState == .failed {
            throw CommandError(
                "\\\(plugin.name) refused: the current transaction has failed; nothing can run in it",
                hint: "ROLLBACK (or ROLLBACK TO a savepoint) first"
            )
        }
        let userState = session.transactionState
        sessionReadOnly = session.isReadOnly
        let scope = try PluginScope.open(in: session, capabilities: hello.capabilities, pluginName: plugin.name)
        self.scope = scope
        let info = session.info
        let settings = context.settings
        let invocation = PluginProtocol.InvocationContext(
            interactive: context.isInteractive,
            format: settings.format.rawValue,
            expanded: settings.expanded.rawValue,
            terminalWidth: settings.terminalWidth,
            transaction: PluginProtocol.name(of: userState),
            scope: scope.kind.rawValue,
            writable: hello.capabilities.contains(.writesDatabase),
            readOnlySession: session.isReadOnly,
            database: info.database, user: info.user, host: info.host, port: info.port,
            serverVersion: info.serverVersion
        )
        try send(PluginProtocol.invoke(arguments: arguments, context: invocation))

        while true {
            let message = try nextMessage()
            switch message {
            case .hello:
                throw Failure(what: "it broke the protocol: line \(lineNumber) is a second hello")
            case .query(let query):
                try runQuery(query)
            case .tableBegin(let columns):
                guard table == nil else { throw Failure(what: "it broke the protocol: line \(lineNumber) is a table_begin while a table is open (send table_end first)") }
                endProgressLine()
                let described = columns.map {
                    ColumnDescription(name: $0.name, typeOID: $0.type.flatMap(ColumnTypeNames.oid(named:)) ?? TypeOID.text)
                }
                table = (context.beginTable(described: described), columns.count)
            case .tableRows(let line):
                guard let (sink, columns) = table else { throw Failure(what: "it broke the protocol: line \(lineNumber) is a table_rows before any table_begin") }
                endProgressLine()
                do {
                    try TableRowsDecoder.forEachRow(in: line, columns: columns) { sink.write(values: $0) }
                } catch let error as TableRowsDecoder.Malformed {
                    throw Failure(what: "it broke the protocol: line \(lineNumber) (table_rows): \(error.reason)")
                }
            case .tableEnd:
                guard table != nil else { throw Failure(what: "it broke the protocol: line \(lineNumber) is a table_end before any table_begin") }
                endTable()
            case .print(let printable):
                if table != nil { throw Failure(what: "it broke the protocol: line \(lineNumber) is a print while a table is open (send table_end first)") }
                endProgressLine()
                switch printable {
                case .text(let text, let toStandardError):
                    if toStandardError { context.console.printError(text) } else { context.console.print(text) }
                case .table(let columns, let rows):
                    let described = columns.map {
                        ColumnDescription(name: $0.name, typeOID: $0.type.flatMap(ColumnTypeNames.oid(named:)) ?? TypeOID.text)
                    }
                    context.printTable(described: described, rows: rows)
                }
            case .confirm(let question):
                try answer(question)
            case .progress(let report):
                if progress == nil || progress?.label != report.label {
                    progress?.finish()
                    progress = context.progress(report.label, total: report.total)
                }
                progress?.update(done: report.done, total: report.total)
            case .finish(let finish):
                endProgressLine()
                endTable()
                try finishRun(finish, process: process)
                return
            }
        }
    }

    // MARK: Messages

    private func readHello() throws -> PluginProtocol.Hello {
        let message = try nextMessage(expectingHello: true)
        guard case .hello(let hello) = message else {
            throw Failure(what: "it broke the protocol: its first line must be a hello, not \(Self.kind(of: message))")
        }
        guard hello.protocolVersion == PluginProtocol.version else {
            throw Failure(
                what: "it speaks protocol version \(hello.protocolVersion); this curate speaks version \(PluginProtocol.version)",
                hint: "use a version of the plugin made for protocol \(PluginProtocol.version), or a curate that speaks \(hello.protocolVersion)"
            )
        }
        return hello
    }

    private func nextMessage(expectingHello: Bool = false) throws -> PluginProtocol.Message {
        guard let process else { throw Failure(what: "it is not running") }
        context.console.flush()
        let line: ArraySlice<UInt8>
        do {
            line = try process.readLine(timeout: timeout, cancelled: cancelled)
        } catch {
            throw failure(for: error, waitingFor: expectingHello ? "its hello" : "its next message")
        }
        lineNumber += 1
        do {
            return try PluginProtocol.parse(line, lineNumber: lineNumber)
        } catch {
            throw Failure(what: "it broke the protocol: \(error.reason)")
        }
    }

    private func send(_ bytes: [UInt8]) throws {
        guard let process else { return }
        do {
            try process.write(bytes, timeout: timeout, cancelled: cancelled)
        } catch {
            throw failure(for: error, waitingFor: nil)
        }
    }

    private func failure(for interruption: PluginProcess.Interruption, waitingFor: String?) -> Failure {
        switch interruption {
        case .cancelled:
            return Failure(what: "cancelled (Ctrl-C); the plugin was stopped")
        case .timedOut:
            let what = waitingFor.map { "it sent nothing for \(Self.seconds(timeout)) while curate waited for \($0)" }
                ?? "it read nothing for \(Self.seconds(timeout)) while curate was sending to it"
            return Failure(
                what: what + ", and was stopped",
                hint: "\\set PLUGIN_TIMEOUT SECONDS allows a slow plugin more time; a plugin should report progress while it works"
            )
        case .closed:
            return Failure(what: "it ended without finishing", childEnded: true)
        case .lineTooLong:
            return Failure(what: "it broke the protocol: line \(lineNumber + 1) is longer than \(PluginProtocol.maximumLineLength >> 20) MiB")
        }
    }

    private static func kind(of message: PluginProtocol.Message) -> String {
        switch message {
        case .hello: return "a hello"
        case .query: return "a query"
        case .print: return "a print"
        case .confirm: return "a confirm"
        case .progress: return "a progress"
        case .finish: return "a finish"
        case .tableBegin: return "a table_begin"
        case .tableRows: return "a table_rows"
        case .tableEnd: return "a table_end"
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    // MARK: Requests

    private func runQuery(_ query: PluginProtocol.Query) throws {
        guard let scope, let process else { return }
        var reply = JSONLineWriter(capacity: 1024)
        if let reason = PluginStatementPolicy.refusal(for: query.sql) {
            PluginProtocol.error(id: query.id, source: "curate", error: nil, message: "refused: " + reason,
                                 transaction: PluginProtocol.name(of: session.transactionState), into: &reply)
            try send(reply.bytes)
            return
        }
        let relay = RowRelay(process: process, id: query.id, batch: query.batch ?? RowRelay.defaultBatch,
                             timeout: timeout, encoding: session.clientEncoding ?? "UTF8", cancelled: cancelled)
        let ownSavepoint = query.savepoint && scope.kind != .autocommit
        var statementScope: TransactionScope?
        do {
            if ownSavepoint {
                do {
                    statementScope = try TransactionScope.openSavepoint(in: session, named: "curate_plugin_statement")
                } catch {
                    throw error.reported
                }
            }
            let (columns, tag) = try session.relay(query.sql, parameters: query.parameters, to: relay)
            do {
                try statementScope?.commit()
            } catch {
                throw error.reported
            }
            try checkScope(after: query.sql)
            let described = typeNames.names(for: columns, session: session)
            relay.finish(tag: tag, columns: described, transaction: PluginProtocol.name(of: session.transactionState))
            try relay.flush()
        } catch let interruption as PluginProcess.Interruption {
            throw failure(for: interruption, waitingFor: nil)
        } catch let error as ServerError {
            if context.isCancelled { throw Failure(what: "cancelled (Ctrl-C) while its query ran; the plugin was stopped") }
            if let statementScope, session.transactionState == .failed {
                do {
                    try statementScope.rollBack()
                } catch {
                    // The plugin's scope is in doubt: stop the plugin, and say why.
                    throw Failure(what: "its statement's savepoint could not be rolled back: \(TransactionError.text(of: error.error))")
                }
            }
            if session.transactionState == .failed, failedStatement == nil { failedStatement = error.message }
            var error = error
            // read_only_sql_transaction in a scope curate made read-only because the plugin did
            // not declare `writes` (not because the user's session is read-only): name the capability.
            if error.sqlState == "25006", scope.readOnly, !sessionReadOnly, error.hint == nil {
                error.hint = Self.undeclaredWriteHint
                undeclaredWriteHint = Self.undeclaredWriteHint
            }
            reply.removeAll()
            // Rows already sent stay sent; the error replaces the done.
            relay.discardPending()
            PluginProtocol.error(id: query.id, source: "server", error: error, message: error.message,
                                 transaction: PluginProtocol.name(of: session.transactionState), into: &reply)
            try send(reply.bytes)
        } catch let error as ConnectionError {
            throw error
        } catch let error as CommandError where scope.readOnly && !sessionReadOnly {
            // The session refused a statement that would lift the read-only mode curate set for
            // this plugin (it declared no "writes"), and put it back. The user's session is not
            // read-only: "\set READONLY off" would not apply. The plugin is told, and goes on.
            reply.removeAll()
            relay.discardPending()
            PluginProtocol.error(id: query.id, source: "curate", error: nil, message: "refused: \(error.message)",
                                 transaction: PluginProtocol.name(of: session.transactionState), hint: Self.undeclaredWriteHint, into: &reply)
            undeclaredWriteHint = Self.undeclaredWriteHint
            try send(reply.bytes)
        }
    }

    /// What to do when a plugin that did not declare `writes` tried to write.
    static let undeclaredWriteHint = "the plugin did not declare that it writes, so curate runs its statements read-only:"
        + " add \"writes\" to \"capabilities\" in its hello (capabilities=[\"writes\"] with curate_plugin.py)"

    /// The statement must leave the plugin's scope as it found it: a transaction still open for
    /// a savepoint or transaction scope, none for autocommit. Otherwise something ended the
    /// user's transaction behind curate's back: the plugin is stopped.
    private func checkScope(after sql: String) throws {
        guard let scope else { return }
        let state = session.transactionState
        let fine = scope.kind == .autocommit ? state == .idle : state.isOpen
        if !fine {
            throw Failure(what: "its statement changed the transaction state to \(PluginProtocol.name(of: state)), which only curate and the user may do: \(Shell.abbreviate(sql, limit: 80))")
        }
    }

    private func answer(_ confirm: PluginProtocol.Confirm) throws {
        endProgressLine()
        var yes = false
        var refused: CommandError?
        do {
            yes = try context.confirm(confirm.question, assumeYes: confirm.assumeYes)
        } catch let error as CommandError {
            refused = error
        }
        try send(PluginProtocol.answer(id: confirm.id, yes: yes, refused: refused))
    }

    /// Ends a streamed table still open: its footer. (At the finish, and after a failure, so the
    /// rows printed so far are a whole table.)
    private func endTable() {
        table?.sink.end()
        table = nil
    }

    private func endProgressLine() {
        progress?.finish()
        progress = nil
    }

    // MARK: The end

    private func finishRun(_ finish: PluginProtocol.Finish, process: PluginProcess) throws {
        process.closeInput()
        let status = process.waitForExit(timeout: timeout, cancelled: cancelled)
        switch finish {
        case .error(let message, let hint):
            throw Failure(what: message, hint: hint, reportedByPlugin: true)
        case .ok:
            guard let status else {
                throw Failure(what: "it finished but did not exit within \(Self.seconds(timeout)), and was stopped")
            }
            guard status.succeeded else {
                throw Failure(what: "it finished, then ended with \(status)")
            }
            if let failedStatement {
                throw Failure(
                    what: "it finished as if all went well, but a statement of it had failed (\(failedStatement))",
                    hint: "a plugin should finish with an error when a statement fails, or run the statement with \"savepoint\": true"
                )
            }
        }
        guard let scope else { return }
        self.scope = nil
        do {
            try scope.close()
        } catch let error as ServerError {
            throw CommandError("\\\(plugin.name): its work could not be committed: \(error.message)",
                               hint: "the server rolled the transaction back; nothing of the plugin's work was kept")
        }
    }

    /// After a failure: stop the child, roll its scope back, and build the message for the user.
    private func conclude(_ failure: Failure) -> CommandError {
        endProgressLine()
        endTable()
        var what = failure.what
        if failure.childEnded, let process, let status = process.exitStatus ?? process.waitForExit(timeout: 2) {
            what += " (\(status))"
        }
        var note = cleanUp()
        // A plugin that only reads and reported its own error changed nothing: no need to say so.
        if failure.reportedByPlugin, readOnly { note = nil }
        var message = failure.reportedByPlugin ? what : "the plugin failed: " + what
        if let note { message += "; " + note }
        return CommandError(message, hint: failure.hint ?? undeclaredWriteHint)
    }

    /// Stops the child if it still runs and rolls back the plugin's scope; returns what that
    /// means for the user's data, or nil when there was no scope yet.
    @discardableResult
    private func cleanUp() -> String? {
        if let process, process.exitStatus == nil {
            // End of input first: a plugin refused before its invoke exits by itself.
            process.closeInput()
            if process.waitForExit(timeout: 0.2) == nil { process.stop(grace: 2) }
        }
        guard let scope else { return nil }
        self.scope = nil
        readOnly = scope.readOnly
        return scope.rollBack()
    }
}
