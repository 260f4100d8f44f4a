import CLibPQ
import CCurateSupport

/// The one PostgreSQL session that the shell and every plugin share.
///
/// Everything goes through it so that the user's transaction is respected: a plugin that needs
/// atomic work calls `transaction(_:)`, which opens a transaction only when none is open and
/// otherwise uses a savepoint, so it never commits or ends the user's transaction.
///
/// The connection state is explicit: `connected`, or `lost` after the server or the network
/// went away. A lost session answers every query with `ConnectionError.lost` until the shell
/// calls `recover()`; nothing is ever re-run on the new connection.
public final class Session {
    enum State {
        case connected(PGConnection)
        case lost(ConnectionError)
    }

    // `@exclusivity(unchecked)` here and below: read and written for every statement, on the
    // shell's one thread; the runtime's check of each access cost more than the access (decisions.md).
    @exclusivity(unchecked) private var state: State
    private var parameters: ConnectionParameters
    private var savepointCounter = 0
    /// When the last statement's answer ended (monotonic seconds), for `detectLoss(quietFor:)`.
    @exclusivity(unchecked) private var lastAnswer: Double = 0
    /// Where server notices (NOTICE, WARNING) go; the shell prints them on stderr.
    public var noticeHandler: ((ServerError) -> Void)? {
        didSet { if case .connected(let connection) = state { installNoticeHandler(on: connection) } }
    }
    /// The command tag of the last result (`INSERT 0 1`, `COMMIT`), or nil after an error.
    public private(set) var lastCommandTag: String? {
        get { storedCommandTag }
        set { storedCommandTag = newValue }
    }
    // The shell reads and sets these for every statement. A stored property used from another
    // module is checked at run time whatever its `@exclusivity` says; the accessors keep the
    // access in this module, unchecked (decisions.md).
    @exclusivity(unchecked) private var storedCommandTag: String?
    @exclusivity(unchecked) private var storedOID: UInt32?
    @exclusivity(unchecked) private var storedCopyStreams: (() -> any CopyDataStreams)?
    @exclusivity(unchecked) private var storedQueryWaiting: ((Double) -> Void)?
    @exclusivity(unchecked) private var storedQueryWaitEnded: (() -> Void)?
    @exclusivity(unchecked) private var streamed = StreamedResults()
    /// The OID the last statement's status reported (psql's LASTOID: `INSERT` into a table with
    /// OIDs, 0 for most), or nil when it reported none (a query's rows, an error).
    public private(set) var lastOID: UInt32? {
        get { storedOID }
        set { storedOID = newValue }
    }
    /// Where and as whom the session is connected (updated after a reconnect or `\c`).
    public private(set) var info: ConnectionInfo
    /// Called about ten times a second, with the seconds elapsed, while a statement has not yet
    /// sent its first result (the shell draws a spinner); `queryWaitEnded` when the wait is over.
    package var queryWaiting: ((Double) -> Void)? {
        get { storedQueryWaiting }
        set { storedQueryWaiting = newValue }
    }
    package var queryWaitEnded: (() -> Void)? {
        get { storedQueryWaitEnded }
        set { storedQueryWaitEnded = newValue }
    }
    /// Where `COPY ... FROM STDIN` reads and `COPY ... TO STDOUT` writes, made when a COPY
    /// starts; set by the shell while it runs a statement. Without it such a COPY fails rather
    /// than lose its data.
    package var copyStreams: (() -> any CopyDataStreams)? {
        get { storedCopyStreams }
        set { storedCopyStreams = newValue }
    }
    /// Statements run on every new connection (the first and each reconnect), e.g. read-only mode.
    private var setupStatements: [String] = []
    /// How much of the server's messages libpq's text shows (psql's VERBOSITY), on this and every later connection.
    package var errorVerbosity: ErrorVerbosity = .default {
        didSet { applyErrorReporting() }
    }
    /// When libpq's text includes CONTEXT lines (psql's SHOW_CONTEXT), on this and every later connection.
    package var errorContextVisibility: ErrorContextVisibility = .errors {
        didSet { applyErrorReporting() }
    }

    /// The options the last connection was made with, kept after it is lost, for `\connect`.
    private var previousOptions: ConnectionOptions?

    /// `cancelTarget`: Ctrl-C cancels this connection's statements (false for a side session,
    /// which must not take Ctrl-C from the user's).
    package init(parameters: ConnectionParameters, cancelTarget: Bool = true) throws(ConnectionError) {
        let connection = try PGConnection.connect(parameters)
        self.parameters = parameters
        self.state = .connected(connection)
        self.info = Self.describe(connection)
        self.previousOptions = connection.connectionOptions
        if cancelTarget { connection.becomeCancelTarget() }
    }

    /// Makes Ctrl-C cancel this session's statements (see `StandbySession.swift`: a command
    /// working on a second connection takes Ctrl-C for the time, then gives it back).
    func becomeCancelTarget() {
        if case .connected(let connection) = state { connection.becomeCancelTarget() }
    }

    // MARK: State

    /// False after the connection was lost, until the shell reconnects.
    public var isConnected: Bool {
        if case .connected = state { return true }
        return false
    }

    /// The transaction status after the last statement; `.unknown` when the connection is lost.
    public var transactionState: TransactionState {
        guard case .connected(let connection) = state else { return .unknown }
        switch connection.transactionStatus {
        case PQTRANS_IDLE: return .idle
        case PQTRANS_INTRANS: return .inTransaction
        case PQTRANS_INERROR: return .failed
        case PQTRANS_ACTIVE: return .active
        default: return .unknown
        }
    }

    /// True when new transactions are read-only (`--read-only`, `default_transaction_read_only`).
    /// Servers report the setting as it changes since PostgreSQL 14; on an older one it is the
    /// value last asked of the server (`askUnreportedReadOnly`).
    public var isReadOnly: Bool {
        if let reported = parameterStatus("default_transaction_read_only") { return reported == "on" }
        return askedReadOnly
    }

    /// `default_transaction_read_only` as last asked of a server that does not report it.
    private var askedReadOnly = false

    /// On a server that does not report `default_transaction_read_only` (before PostgreSQL 14),
    /// asks it, so that read-only mode is known after every statement there too (one round trip
    /// more per statement, only in a read-only session on such a server). A question that fails
    /// (a failed transaction) keeps the last answer.
    private func askUnreportedReadOnly() {
        guard case .connected(let connection) = state,
              connection.parameterStatus("default_transaction_read_only") == nil,
              let value = connection.askSetting("default_transaction_read_only") else { return }
        askedReadOnly = value == "on"
    }

    /// Runs `statements` now and again after every reconnect (session settings such as read-only mode).
    /// A session they leave read-only stays so, whichever plugin sends the statement: one that
    /// asks for a writable transaction (`BEGIN READ WRITE`, `SET TRANSACTION READ WRITE`, see
    /// `ReadWriteRequest`) is not sent, and one that turns read-only mode off in a way only the
    /// server can tell (`set_config`, `RESET ALL`) is undone at once and fails.
    package func configure(_ statements: [String]) throws {
        setupStatements = statements
        readOnlyLocked = false
        defer {
            askUnreportedReadOnly()
            readOnlyLocked = isReadOnly
        }
        for statement in statements { try execute(statement) }
    }

    /// Set by `configure` when it left the session read-only (`--read-only`, `\set READONLY on`),
    /// and for a temporary read-only run.
    @exclusivity(unchecked) private var readOnlyLocked = false
    /// `beginTemporaryReadOnly()` made the session read-only until `endTemporaryReadOnly()`.
    private var temporaryReadOnly = false

    /// Makes the session read-only, locked as `--read-only` is, until `endTemporaryReadOnly()`:
    /// for a plugin that runs outside a transaction without declaring that it writes.
    package func beginTemporaryReadOnly() throws {
        try execute("SET default_transaction_read_only = on")
        askUnreportedReadOnly()
        temporaryReadOnly = true
        readOnlyLocked = true
    }

    /// Ends `beginTemporaryReadOnly()`: the session is writable again (when still connected;
    /// a new connection starts writable anyway).
    package func endTemporaryReadOnly() throws {
        guard temporaryReadOnly else { return }
        temporaryReadOnly = false
        readOnlyLocked = false
        if isConnected {
            try execute("SET default_transaction_read_only = off")
            askUnreportedReadOnly()
        }
    }

    /// Puts read-only mode back when a statement turned it off: nil when it had not been turned
    /// off, else the failure of putting it back (nil inside: put back).
    private func restoreReadOnlyIfLifted() -> Result<Void, any Error>? {
        guard readOnlyLocked, isConnected else { return nil }
        askUnreportedReadOnly()
        guard !isReadOnly else { return nil }
        readOnlyLocked = false
        defer { readOnlyLocked = true }
        do {
            try execute("SET default_transaction_read_only = on")
            return .success(())
        } catch {
            return .failure(error)
        }
    }

    /// The client encoding in force, as psql names it (`UTF8`); nil when the connection is lost.
    public var clientEncoding: String? {
        guard case .connected(let connection) = state else { return nil }
        return connection.clientEncoding
    }

    /// A server setting reported to the client (`server_version`, `TimeZone`, ...).
    public func parameterStatus(_ name: String) -> String? {
        guard case .connected(let connection) = state else { return nil }
        return connection.parameterStatus(name)
    }

    /// False only when the server reports `standard_conforming_strings` off: a backslash in
    /// `'...'` then escapes (psql's lexer reads it for every line, as a SET may change it).
    public var standardConformingStrings: Bool {
        guard case .connected(let connection) = state else { return true }
        return !connection.parameterStatus("standard_conforming_strings", is: "off")
    }

    /// Outcome of `recover()`.
    public struct Recovery: Sendable, Equatable {
        /// The connection that broke had a transaction open: the server rolled it back.
        public var transactionLost: Bool
        /// Why the old connection ended.
        public var cause: String
        /// The session's settings that could not be made again on the new connection.
        public var setupFailures: [SetupFailure] = []
    }

    /// A session setting (`--read-only`, `\\set READONLY on`) that failed on a new connection.
    public struct SetupFailure: Sendable, Equatable, CustomStringConvertible {
        public var statement: String
        public var message: String
        public var description: String { "\(statement) failed: \(message)" }
    }

    /// After a lost connection, connects again with the same parameters. Returns nil when the
    /// connection was fine; throws when reconnecting fails (the session stays lost).
    package func recover() throws(ConnectionError) -> Recovery? {
        guard case .lost(let cause) = state else { return nil }
        let failures = adopt(try PGConnection.connect(parameters))
        return Recovery(transactionLost: cause.transactionLost, cause: cause.message, setupFailures: failures)
    }

    /// Makes `connection` the session's (after a reconnect or `\c`): Ctrl-C, notices and libpq's
    /// message settings follow it, and the session's setup statements run on it; their failures.
    private func adopt(_ connection: PGConnection) -> [SetupFailure] {
        state = .connected(connection)
        info = Self.describe(connection)
        previousOptions = connection.connectionOptions
        connection.becomeCancelTarget()
        installNoticeHandler(on: connection)
        applyErrorReporting()
        return runSetupStatements()
    }

    /// Between commands: finds a connection that broke while nothing ran on it (the server was
    /// restarted or ended the session, the network was cut) before anything is sent on it, so
    /// that the next command runs on a new connection instead of failing. Nothing is sent. Returns
    /// the loss (the session is then lost, as if a statement had found it; `recover()` connects
    /// again), or nil when the connection is fine as far as can be told.
    /// `quietFor`: look only when the server has been quiet that many seconds (a script's next
    /// statement follows the last answer at once: nothing can have been missed in between, and
    /// the look costs a system call per statement).
    package func detectLoss(quietFor minimum: Double = 0) -> ConnectionError? {
        guard case .connected(let connection) = state else { return nil }
        if minimum > 0, Progress.now() - lastAnswer < minimum { return nil }
        let wasInTransaction = transactionState.isOpen
        guard connection.closedWhileIdle() else { return nil }
        return connectionFailure(connection, wasInTransaction: wasInTransaction)
    }

    /// Connects again to another database (or as another user), like psql's `\c`. The old
    /// connection is closed only once the new one works; the session's setup statements
    /// (read-only mode) run on the new one.
    package func replaceConnection(with newParameters: ConnectionParameters) throws(ConnectionError) {
        let connection = try PGConnection.connect(newParameters)
        parameters = newParameters
        let failures = adopt(connection)
        if let failure = failures.first {
            throw ConnectionError(kind: .connectFailed, message: "connected, but a session setting could not be made: \(failure)")
        }
    }

    /// The session's settings (`configure`) made again on a new connection; each one that fails
    /// is returned, for the user to be told (a read-only session must not become writable unsaid).
    private func runSetupStatements() -> [SetupFailure] {
        var failures: [SetupFailure] = []
        for statement in setupStatements {
            do {
                try execute(statement)
            } catch {
                failures.append(SetupFailure(statement: statement, message: TransactionError.text(of: error)))
            }
        }
        askUnreportedReadOnly()
        readOnlyLocked = isReadOnly
        return failures
    }

    /// `\connect`'s options for `request`, merged with the previous connection's as psql does;
    /// `password`: one typed at a prompt. Throws psql's messages for a request it refuses.
    package func connectParameters(for request: ConnectRequest, password: String?) throws(CommandError) -> ConnectionParameters {
        let current: ConnectionOptions?
        if case .connected(let connection) = state { current = connection.connectionOptions ?? previousOptions } else { current = previousOptions }
        let pairs = try request.options(
            previous: current, defaults: { ConnectionOptions.defaults() }, password: password,
            applicationName: parameters.applicationName, clientEncoding: parameters.clientEncodingAuto ? "auto" : nil)
        var result = parameters
        result.exactOptions = pairs.map { ConnectionOptions.Entry(keyword: $0.0, value: $0.1) }
        result.oneLineErrors = false
        result.password = nil
        return result
    }

    // MARK: Client encoding, passwords, large objects

    /// libpq's name for an encoding name (`unicode` → `UTF8`); nil for one it does not know.
    package static func canonicalEncodingName(_ name: String) -> String? {
        PGConnection.canonicalEncodingName(name)
    }

    /// `\encoding NAME`: false when libpq does not know the name or has no conversion.
    package func setClientEncoding(_ name: String) -> Bool {
        guard case .connected(let connection) = state else { return false }
        return connection.setClientEncoding(name)
    }

    /// `password` encrypted on this side for `user` (`\password`), by the server's
    /// `password_encryption`; libpq's message when that fails.
    package func encryptPassword(_ password: String, user: String) throws -> String {
        switch try connection().encryptPassword(password, user: user) {
        case .success(let encrypted): return encrypted
        case .failure(let error): throw LibpqMessage(text: error.message)
        }
    }

    /// `lo_import` of a client file; libpq's message (several lines kept) when it fails.
    package func importLargeObject(path: String) throws -> UInt32 {
        let connection = try connection()
        guard let oid = connection.importLargeObject(path: path) else { throw try largeObjectFailure(connection) }
        return oid
    }

    /// `lo_export` to a client file.
    package func exportLargeObject(_ oid: UInt32, path: String) throws {
        let connection = try connection()
        guard connection.exportLargeObject(oid, path: path) else { throw try largeObjectFailure(connection) }
    }

    /// `lo_unlink`.
    package func unlinkLargeObject(_ oid: UInt32) throws {
        let connection = try connection()
        guard connection.unlinkLargeObject(oid) else { throw try largeObjectFailure(connection) }
    }

    private func connection() throws -> PGConnection {
        switch state {
        case .connected(let connection): return connection
        case .lost(let error): throw error
        }
    }

    /// A lost connection as such; otherwise libpq's own words.
    private func largeObjectFailure(_ connection: PGConnection) throws -> LibpqMessage {
        if connection.isBad { throw connectionFailure(connection, wasInTransaction: true) }
        return LibpqMessage(text: connection.rawErrorMessage)
    }

    /// The parameters child programs (pg_dump) need to reach the same database; the password
    /// stays inside the package, for a private passfile.
    /// A password given inside `-d` (`password=`, a URI) or by `PGPASSWORD` is the one libpq used.
    package var connectionParameters: ConnectionParameters {
        var result = parameters
        if case .connected(let connection) = state {
            if result.password == nil { result.password = connection.password }
            result.optionsInUse = connection.optionsInUse
        }
        return result
    }

    // MARK: Queries

    /// Runs one statement and returns its whole result. For small results: use `stream` for many rows.
    /// Values travel as parameters (`$1`, `$2`), never spliced into the SQL.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws -> QueryResult {
        var last = QueryResult(columns: [], rows: [], commandTag: "")
        try perform(sql, parameters: parameters, singleRow: false) { result in
            last = Self.queryResult(result)
        }
        return last
    }

    /// `execute` for SQL text that may hold several statements (`SELECT 1 \; SELECT 2`): each
    /// result but the last goes to `earlier` as the next one arrives; the last is returned (psql's
    /// `\gset` stores the last result, and prints the others as usual).
    package func executeKeepingLast(_ sql: String, earlier: (QueryResult) -> Void) throws -> QueryResult {
        var last: QueryResult?
        try perform(sql, parameters: [], singleRow: false) { result in
            if let previous = last { earlier(previous) }
            last = Self.queryResult(result)
        }
        return last ?? QueryResult(columns: [], rows: [], commandTag: "")
    }

    private static func queryResult(_ result: PGResult) -> QueryResult {
        guard result.status == PGRES_TUPLES_OK else { return QueryResult(columns: [], rows: [], commandTag: result.commandTag) }
        let columns = result.columns
        return QueryResult(
            columns: columns, rows: (0..<result.rowCount).map { Row(result: result, index: $0, columns: columns) },
            commandTag: result.commandTag)
    }

    /// Runs one statement and hands its rows to `row` one at a time as they arrive, so memory
    /// stays flat whatever the row count. Returns the command tag. Throwing from `row` cancels
    /// the query.
    @discardableResult
    public func stream(_ sql: String, _ parameters: [String?] = [], row: (Row) throws -> Void) throws -> String {
        var tag = ""
        var columns: [ColumnDescription]? = nil
        try perform(sql, parameters: parameters, singleRow: true) { result in
            switch result.status {
            case PGRES_SINGLE_TUPLE:
                let described = columns ?? result.columns
                columns = described
                try row(Row(result: result, index: 0, columns: described))
            case PGRES_TUPLES_OK:
                let described = columns ?? result.columns
                for index in 0..<result.rowCount {
                    try row(Row(result: result, index: index, columns: described))
                }
                columns = nil
                tag = result.commandTag
            default:
                tag = result.commandTag
            }
        }
        return tag
    }

    /// Runs SQL text (one or more statements) and feeds every result to `renderer` as it streams.
    /// A result is ended (its footer or status line) only once the next one has arrived, as psql
    /// prints a result after fetching the next: notices raised by the next statement come first.
    func run(_ sql: String, parameters: [String?], into renderer: some ResultRenderer) throws {
        // The state lives in the session, not in locals: locals that two closures share are
        // checked at run time at every access. One query runs at a time on a connection.
        streamed = StreamedResults()
        defer { endPrevious(in: renderer) }
        try perform(sql, parameters: parameters, singleRow: true, arrived: { endPrevious(in: renderer) }) { result in
            switch result.status {
            case PGRES_SINGLE_TUPLE:
                if !streamed.inResultSet {
                    renderer.begin(columns: result.columns)
                    streamed.inResultSet = true
                    streamed.rowCount = 0
                }
                renderer.row(PGResultRow(result: result, row: 0))
                streamed.rowCount += 1
            case PGRES_TUPLES_OK:
                if !streamed.inResultSet {
                    renderer.begin(columns: result.columns)
                    streamed.rowCount = 0
                }
                for index in 0..<result.rowCount {
                    renderer.row(PGResultRow(result: result, row: index))
                    streamed.rowCount += 1
                }
                streamed.pendingEnd = (result.commandTag, streamed.rowCount)
                streamed.inResultSet = false
            case PGRES_COMMAND_OK:
                streamed.pendingEnd = (result.commandTag, nil)
            default:
                break
            }
        }
    }

    /// What `run` knows of the results streaming to its renderer.
    struct StreamedResults {
        var inResultSet = false
        var rowCount = 0
        /// The end of the last result, not yet given to the renderer: rows (tag, count) or a status.
        var pendingEnd: (tag: String, rows: Int?)?
    }

    /// Any next result ends the one before: rows, a status, an error or COPY data.
    private func endPrevious(in renderer: some ResultRenderer) {
        guard let end = streamed.pendingEnd else { return }
        streamed.pendingEnd = nil
        if let rows = end.rows { renderer.end(commandTag: end.tag, rowCount: rows) } else { renderer.command(tag: end.tag) }
    }

    /// Runs exactly one statement (the extended query protocol refuses a text holding several)
    /// and hands its rows to `sink` in place as they stream, for a host that relays them
    /// elsewhere (the external plugin host). Throwing from the sink cancels the query. Returns
    /// the columns (empty for a statement without rows) and the command tag.
    package func relay(_ sql: String, parameters: [String?], to sink: some RowSink) throws -> (columns: [ColumnDescription], tag: String) {
        var columns: [ColumnDescription] = []
        var begun = false
        var tag = ""
        try perform(sql, parameters: parameters, singleRow: true, singleStatement: true) { result in
            switch result.status {
            case PGRES_SINGLE_TUPLE, PGRES_TUPLES_OK:
                if !begun {
                    columns = result.columns
                    begun = true
                    try sink.begin(columns: columns)
                }
                for index in 0..<result.rowCount { try sink.row(PGResultRow(result: result, row: index)) }
                if result.status == PGRES_TUPLES_OK { tag = result.commandTag }
            default:
                tag = result.commandTag
            }
        }
        return (columns, tag)
    }

    /// What a statement would return, without running it (psql's `\gdesc`): each column's name,
    /// type OID and type modifier. Empty for a statement that returns no rows.
    package func describeResult(of sql: String) throws -> [(column: ColumnDescription, typeModifier: Int32)] {
        try perform(sql, parameters: [], singleRow: false, sending: .prepare) { _ in }
        var described: [(column: ColumnDescription, typeModifier: Int32)] = []
        try perform(sql, parameters: [], singleRow: false, sending: .describePrepared) { result in
            described = Array(zip(result.columns, result.typeModifiers)).map { (column: $0, typeModifier: $1) }
        }
        return described
    }

    /// How `perform` sends its SQL: run it, or (`\gdesc`) prepare it, then describe it.
    private enum Sending {
        case query, prepare, describePrepared
    }

    /// The shared query loop: send, collect every result (libpq needs them all read before the
    /// next command), turn failures into `ServerError` or `ConnectionError.lost`.
    private func perform(
        _ sql: String,
        parameters: [String?],
        singleRow: Bool,
        singleStatement: Bool = false,
        sending: Sending = .query,
        arrived: () -> Void = {},
        handle: (PGResult) throws -> Void
    ) throws {
        guard case .connected(let connection) = state else {
            if case .lost(let error) = state { throw error }
            fatalError("unreachable")
        }
        if readOnlyLocked, let request = ReadWriteRequest.find(in: sql) {
            throw CommandError(
                "this session is read-only, and a statement may not turn that off: \(request) was not sent",
                hint: "\\set READONLY off leaves read-only mode (it asks first)")
        }
        let wasInTransaction = transactionState.isOpen
        // A COMMIT that reaches the server and whose answer is lost may have committed: its
        // outcome is unknown. One sent into a connection already closed never arrived: checked
        // first, so that this case is reported as what it is, rolled back.
        let committing = wasInTransaction && Self.commits(sql)
        if committing, connection.closedWhileIdle() {
            throw connectionFailure(connection, wasInTransaction: wasInTransaction)
        }
        lastCommandTag = nil
        lastOID = nil
        let sent = switch sending {
        case .query: connection.send(sql, parameters: parameters, singleStatement: singleStatement)
        case .prepare: connection.sendPrepare(sql)
        case .describePrepared: connection.sendDescribePrepared()
        }
        guard sent else {
            throw connectionFailure(connection, wasInTransaction: wasInTransaction)
        }
        if singleRow { connection.enableSingleRowMode() }
        curate_set_query_running(1)
        defer {
            curate_set_query_running(0)
            lastAnswer = Progress.now()
        }

        var serverError: ServerError? = nil
        var handlerError: (any Error)? = nil
        var lastTag: String? = nil
        var copyOutEnding = false
        var waiting = queryWaiting
        let started = Progress.now()
        defer { if queryWaiting != nil { queryWaitEnded?() } }
        while let result = connection.nextResult(tick: waiting.map { report in { report(Progress.now() - started) } }) {
            if waiting != nil {
                waiting = nil
                queryWaitEnded?()
            }
            arrived()
            switch result.status {
            case PGRES_FATAL_ERROR:
                if serverError == nil { serverError = result.serverError(statement: sql) }
            case PGRES_COPY_IN:
                if let copyStreams = copyStreams?() {
                    // Ctrl-C while the data is read ends the COPY from this side (the reader
                    // sees it), rather than by a cancel request the server cannot act on yet.
                    curate_set_query_running(0)
                    let failure = copyStreams.readCopyData(binary: result.isBinary) { connection.putCopyData($0) }
                    curate_set_query_running(1)
                    connection.endCopyIn(error: failure)
                } else {
                    connection.endCopyIn(error: "COPY FROM STDIN needs the shell's input: run it as a statement, not from a plugin")
                }
            case PGRES_COPY_OUT:
                // As psql: the COPY's own status line is not printed where its data went.
                let copyStreams = copyStreams?()
                copyOutEnding = !(copyStreams?.showsCopyOutStatus ?? false)
                if let copyStreams {
                    connection.receiveCopyData { copyStreams.writeCopyData($0) }
                    copyStreams.finishCopyOut()
                } else {
                    // Read to the end (the protocol needs it), then fail: data must not vanish unseen.
                    connection.receiveCopyData { _ in }
                    if handlerError == nil {
                        handlerError = CommandError("COPY TO STDOUT sends its rows to the shell's output: run it as a statement, not from a plugin (nothing was printed)")
                    }
                }
            default:
                lastTag = result.commandTag
                if copyOutEnding {
                    copyOutEnding = false
                    continue
                }
                if result.reportsOID { lastOID = result.oid }
                guard serverError == nil, handlerError == nil else { continue }
                do {
                    try handle(result)
                } catch {
                    handlerError = error
                    connection.cancelRunningQuery()
                }
            }
        }
        if connection.isBad {
            throw connectionFailure(connection, wasInTransaction: wasInTransaction, committing: committing)
        }
        let readOnlyLifted = restoreReadOnlyIfLifted()
        // A handler's own error first: the server's "canceling statement" is only its echo.
        if let handlerError { throw handlerError }
        if let serverError { throw serverError }
        switch readOnlyLifted {
        case nil:
            break
        case .success?:
            throw CommandError(
                "this session is read-only, and a statement may not turn that off: read-only mode was put back",
                hint: "\\set READONLY off leaves read-only mode (it asks first)")
        case .failure(let error)?:
            throw CommandError(
                "this session is read-only, and a statement may not turn that off; putting read-only mode back failed: "
                    + TransactionError.text(of: error),
                hint: "the session may now be writable: reconnect (\\c) to get read-only mode back")
        }
        lastCommandTag = lastTag
    }

    /// `committing`: the connection broke after a COMMIT was sent, before its answer came.
    private func connectionFailure(_ connection: PGConnection, wasInTransaction: Bool, committing: Bool = false) -> ConnectionError {
        let message = connection.errorMessage
        let error = ConnectionError(
            kind: .lost,
            message: message.isEmpty ? "the connection to the server was lost" : message,
            transactionLost: wasInTransaction && !committing,
            commitOutcomeUnknown: committing
        )
        state = .lost(error)
        curate_set_cancel_target(nil)
        return error
    }

    /// Whether `sql` is a COMMIT (or its synonym END), the statement that ends a transaction
    /// by committing it.
    static func commits(_ sql: String) -> Bool {
        let word = sql.drop(while: { $0.isWhitespace }).prefix(while: { $0.isLetter }).uppercased()
        return word == "COMMIT" || word == "END"
    }

    // MARK: Transactions

    /// Runs `body` atomically inside the user's session: in a new transaction when none is open
    /// (committed when `body` returns, rolled back when it throws), or in a savepoint when the
    /// user has one open (released or rolled back to), so the user's transaction stays theirs.
    /// A ``TransactionScope`` underneath: the failing step's own error is thrown, or a
    /// ``TransactionError`` naming both when rolling back failed too.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        do {
            return try withTransaction(body)
        } catch {
            throw error.reported
        }
    }

    /// Runs `body` inside a savepoint of the open transaction: released when it returns, rolled
    /// back to (undoing only `body`'s work) when it throws.
    @discardableResult
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        do {
            return try withSavepoint(body)
        } catch {
            throw error.reported
        }
    }

    /// A savepoint name not used before in this session.
    func nextSavepointName() -> String {
        savepointCounter += 1
        return "curate_savepoint_\(savepointCounter)"
    }

    /// The connection failure that ended the session's connection, if that is its state.
    var lostConnectionError: ConnectionError? {
        if case .lost(let error) = state { return error }
        return nil
    }

    // MARK: Quoting

    /// `"name"` quoted as an SQL identifier by libpq's rules.
    public func quoteIdentifier(_ name: String) -> String {
        if case .connected(let connection) = state, let quoted = connection.escapeIdentifier(name) { return quoted }
        return SQLQuoting.identifier(name)
    }

    /// `'text'` quoted as an SQL literal by libpq's rules (E'' when it holds backslashes).
    public func quoteLiteral(_ text: String) -> String {
        if case .connected(let connection) = state, let quoted = connection.escapeLiteral(text) { return quoted }
        return SQLQuoting.literal(text)
    }

    // MARK: Private

    private func applyErrorReporting() {
        guard case .connected(let connection) = state else { return }
        connection.setErrorReporting(verbosity: errorVerbosity, context: errorContextVisibility)
    }

    private func installNoticeHandler(on connection: PGConnection) {
        connection.setNoticeHandler { [weak self] notice in self?.noticeHandler?(notice) }
    }

    private static func describe(_ connection: PGConnection) -> ConnectionInfo {
        ConnectionInfo(
            database: connection.database,
            user: connection.user,
            host: connection.host,
            hostAddress: connection.hostAddress,
            port: connection.port,
            serverVersion: connection.serverVersion,
            serverVersionString: connection.parameterStatus("server_version") ?? "",
            isSuperuser: connection.parameterStatus("is_superuser") == "on",
            backendPID: connection.backendPID,
            usesSSL: connection.sslInUse,
            sslProtocol: connection.sslAttribute("protocol"),
            sslCipher: connection.sslAttribute("cipher"),
            sslCompression: connection.sslAttribute("compression")
        )
    }
}

/// A failure libpq described itself (a large-object call), printed as psql prints it: its text
/// alone, several lines kept.
package struct LibpqMessage: Error, Sendable {
    package let text: String
}

/// Receives the rows `Session.relay` streams, read in place (the external plugin host encodes
/// them for its child process without making Strings).
package protocol RowSink: AnyObject {
    func begin(columns: [ColumnDescription]) throws
    func row(_ values: some RowValues) throws
}
