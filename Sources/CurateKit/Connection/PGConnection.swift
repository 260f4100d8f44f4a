import CLibPQ
import CCurateSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns one libpq connection. Internal: plugins reach the server only through `Session`.
final class PGConnection {
    let raw: OpaquePointer
    private var noticeBox: Unmanaged<NoticeBox>?
    /// How the next answer is waited for (`ShortAnswerSpin`).
    @exclusivity(unchecked) private var answerSpin = ShortAnswerSpin()

    private init(raw: OpaquePointer) { self.raw = raw }

    deinit {
        if curateCancelTargetIs(raw) { curate_set_cancel_target(nil) }
        PQfinish(raw)
        noticeBox?.release()
    }

    static func connect(_ parameters: ConnectionParameters) throws(ConnectionError) -> PGConnection {
        if let exact = parameters.exactOptions {
            return try connect(exact.compactMap { entry in entry.value.map { (entry.keyword, $0) } }, expandDatabase: false, oneLineMessage: parameters.oneLineErrors)
        }
        return try connect(parameters.keywordValues, expandDatabase: true, oneLineMessage: parameters.oneLineErrors)
    }

    /// `expandDatabase`: libpq reads a connection string in `dbname` (not for `\connect`, whose
    /// options are already merged). `oneLineMessage`: libpq's message joined into one line.
    private static func connect(_ pairs: [(String, String)], expandDatabase: Bool, oneLineMessage: Bool) throws(ConnectionError) -> PGConnection {
        var keywords = pairs.map { strdup($0.0) } + [nil]
        var values = pairs.map { strdup($0.1) } + [nil]
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let raw: OpaquePointer? = keywords.withUnsafeMutableBufferPointer { keywordBuffer in
            values.withUnsafeMutableBufferPointer { valueBuffer in
                keywordBuffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: keywordBuffer.count) { k in
                    valueBuffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: valueBuffer.count) { v in
                        PQconnectdbParams(k, v, expandDatabase ? 1 : 0)
                    }
                }
            }
        }
        guard let raw else { throw ConnectionError(kind: .connectFailed, message: "out of memory") }
        if PQstatus(raw) != CONNECTION_OK {
            let needsPassword = PQconnectionNeedsPassword(raw) != 0
            var message = String(cString: PQerrorMessage(raw))
            if oneLineMessage {
                message = Self.oneLine(message)
            } else {
                while message.hasSuffix("\n") { message.removeLast() }
            }
            PQfinish(raw)
            throw ConnectionError(kind: needsPassword ? .passwordRequired : .connectFailed, message: message)
        }
        let version = Int(PQserverVersion(raw))
        let versionText = PQparameterStatus(raw, "server_version").map { String(cString: $0) } ?? ""
        if let refusal = SupportedServerVersions.refusal(serverVersion: version, versionText: versionText) {
            PQfinish(raw)
            throw ConnectionError(kind: .connectFailed, message: refusal)
        }
        return PGConnection(raw: raw)
    }

    /// libpq's multi-line messages as one line ("one clear line on stderr").
    static func oneLine(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline)
            .map { $0.drop(while: { $0 == " " || $0 == "\t" }) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    var isBad: Bool { PQstatus(raw) == CONNECTION_BAD }
    /// libpq's account of the last failure; once the connection broke, what it said then.
    var errorMessage: String { lossMessage ?? Self.oneLine(String(cString: PQerrorMessage(raw))) }
    /// What libpq said when it found the connection broken, kept before a later call (finding no
    /// socket any more) adds "invalid socket" to its message.
    private var lossMessage: String?
    var transactionStatus: PGTransactionStatusType { PQtransactionStatus(raw) }
    var database: String { String(cString: PQdb(raw)) }
    var user: String { String(cString: PQuser(raw)) }
    var host: String { PQhost(raw).map { String(cString: $0) } ?? "" }
    var hostAddress: String? { PQhostaddr(raw).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } }
    var port: String { String(cString: PQport(raw)) }
    var serverVersion: Int { Int(PQserverVersion(raw)) }
    var backendPID: Int { Int(PQbackendPID(raw)) }
    var usedPassword: Bool { PQconnectionUsedPassword(raw) != 0 }
    var sslInUse: Bool { PQsslInUse(raw) != 0 }
    /// The password libpq connected with, wherever it came from (a prompt, `password=` in a
    /// connection string or URI, `PGPASSWORD`, a passfile); nil when none was used. Internal: it
    /// goes only into the private passfile of a child program (`ClientProgram`).
    var password: String? {
        guard PQconnectionUsedPassword(raw) != 0, let value = PQpass(raw) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }
    /// An attribute of the encrypted connection (`protocol`, `cipher`, `compression`), nil without SSL.
    func sslAttribute(_ name: String) -> String? {
        PQsslAttribute(raw, name).map { String(cString: $0) }
    }

    /// The connection options in force (libpq's `PQconninfo`), the password left out: what the
    /// programs curate starts need to reach the server the same way (TLS mode, root certificate...).
    var optionsInUse: [String: String] {
        guard let options = PQconninfo(raw) else { return [:] }
        defer { PQconninfoFree(options) }
        var result: [String: String] = [:]
        var index = 0
        while let keyword = options[index].keyword {
            let name = String(cString: keyword)
            if name != "password", let value = options[index].val {
                let text = String(cString: value)
                if !text.isEmpty { result[name] = text }
            }
            index += 1
        }
        return result
    }

    /// How much libpq puts in the text of later errors and notices (psql's VERBOSITY and SHOW_CONTEXT).
    func setErrorReporting(verbosity: ErrorVerbosity, context: ErrorContextVisibility) {
        let level: PGVerbosity
        switch verbosity {
        case .default: level = PQERRORS_DEFAULT
        case .verbose: level = PQERRORS_VERBOSE
        case .terse: level = PQERRORS_TERSE
        case .sqlstate: level = PQERRORS_SQLSTATE
        }
        _ = PQsetErrorVerbosity(raw, level)
        let visibility: PGContextVisibility
        switch context {
        case .never: visibility = PQSHOW_CONTEXT_NEVER
        case .errors: visibility = PQSHOW_CONTEXT_ERRORS
        case .always: visibility = PQSHOW_CONTEXT_ALWAYS
        }
        _ = PQsetErrorContextVisibility(raw, visibility)
    }

    /// The client encoding in force (psql's ENCODING variable).
    var clientEncoding: String {
        let id = PQclientEncoding(raw)
        if let known = encodingName, known.id == id { return known.name }
        let name = String(cString: pg_encoding_to_char(id))
        encodingName = (id, name)
        return name
    }

    /// The last encoding named by `clientEncoding`: read after every statement.
    @exclusivity(unchecked) private var encodingName: (id: Int32, name: String)?

    func parameterStatus(_ name: String) -> String? {
        PQparameterStatus(raw, name).map { String(cString: $0) }
    }

    /// Whether the server reports `name` as `value`, compared in place: no String is made
    /// (the shell asks before every input line).
    func parameterStatus(_ name: StaticString, is value: StaticString) -> Bool {
        let cName = UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
        guard let reported = PQparameterStatus(raw, cName) else { return false }
        return strcmp(reported, UnsafeRawPointer(value.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
    }

    /// The options this connection was made with, the password included (`PQconninfo`), for
    /// `\connect` to reuse.
    var connectionOptions: ConnectionOptions? {
        guard let options = PQconninfo(raw) else { return nil }
        defer { PQconninfoFree(options) }
        return ConnectionOptions(options)
    }

    /// libpq's canonical name for an encoding name (`utf8`, `unicode` → `UTF8`); nil for a name it does not know.
    static func canonicalEncodingName(_ name: String) -> String? {
        let id = pg_char_to_encoding(name)
        return id < 0 ? nil : String(cString: pg_encoding_to_char(id))
    }

    /// `PQsetClientEncoding`: false when the name is unknown or has no conversion.
    func setClientEncoding(_ name: String) -> Bool {
        PQsetClientEncoding(raw, name) == 0
    }

    /// `password` encrypted for `user` by the algorithm the server's `password_encryption` names
    /// (libpq asks it), as `ALTER ROLE ... PASSWORD` takes it; nil with libpq's message on failure.
    func encryptPassword(_ password: String, user: String) -> Result<String, CommandError> {
        guard let encrypted = PQencryptPasswordConn(raw, password, user, nil) else {
            var message = String(cString: PQerrorMessage(raw))
            while message.hasSuffix("\n") { message.removeLast() }
            return .failure(CommandError(message))
        }
        defer { PQfreemem(encrypted) }
        return .success(String(cString: encrypted))
    }

    /// Routes server notices (NOTICE, WARNING, INFO) to `handler`.
    func setNoticeHandler(_ handler: @escaping (ServerError) -> Void) {
        noticeBox?.release()
        let box = Unmanaged.passRetained(NoticeBox(handler))
        noticeBox = box
        PQsetNoticeReceiver(raw, { context, result in
            guard let context, let result else { return }
            let box = Unmanaged<NoticeBox>.fromOpaque(context).takeUnretainedValue()
            // libpq frees the notice result itself; read it without taking ownership.
            let notice = PGResult.serverError(in: result, statement: nil)
            box.handler(notice)
        }, box.toOpaque())
    }

    /// Sends a query without waiting; results come from `nextResult()`. Without parameters the
    /// simple protocol is used (several statements allowed) unless `singleStatement`: the
    /// extended protocol refuses a text holding more than one.
    func send(_ sql: String, parameters: [String?], singleStatement: Bool = false) -> Bool {
        if parameters.isEmpty {
            // withCString: a String passed as a C string directly is copied first.
            return sql.withCString { text in
                singleStatement ? PQsendQueryParams(raw, text, 0, nil, nil, nil, nil, 0) != 0 : PQsendQuery(raw, text) != 0
            }
        }
        var cValues = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { cValues.forEach { free($0) } }
        return cValues.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { values in
                PQsendQueryParams(raw, sql, Int32(parameters.count), nil, values, nil, nil, 0) != 0
            }
        }
    }

    /// The current value of a setting, asked of the server between statements (for a setting an
    /// older server does not report); nil when the question fails (e.g. in a failed transaction).
    func askSetting(_ name: String) -> String? {
        guard send("SELECT pg_catalog.current_setting($1)", parameters: [name]) else { return nil }
        var value: String?
        while let result = nextResult() {
            if result.status == PGRES_TUPLES_OK, result.rowCount == 1 { value = result.string(row: 0, column: 0) }
        }
        return value
    }

    /// `\gdesc`'s two steps: prepare `sql` as the unnamed statement (nothing runs), then ask
    /// the server to describe its result.
    func sendPrepare(_ sql: String) -> Bool { PQsendPrepare(raw, "", sql, 0, nil) != 0 }
    func sendDescribePrepared() -> Bool { PQsendDescribePrepared(raw, "") != 0 }

    func enableSingleRowMode() { _ = PQsetSingleRowMode(raw) }

    /// The next result of the query in progress, or nil when it is complete. With `tick`, waits
    /// on the socket in 100 ms steps, calling `tick` after each, instead of blocking in libpq.
    func nextResult(tick: (() -> Void)? = nil) -> PGResult? {
        // Only once the query is all sent (PQflush 0): waiting for the answer alone is safe then.
        if tick == nil, PQisBusy(raw) != 0, PQflush(raw) == 0 {
            // libpq would sleep in poll; a fast answer is looked for first. Either way the data is
            // read here, so that PQgetResult finds it without asking the socket again.
            let raw = raw
            answerSpin.wait(ready: { PQconsumeInput(raw) == 0 || PQisBusy(raw) == 0 }, sleep: {
                var descriptor = pollfd(fd: PQsocket(raw), events: Int16(POLLIN), revents: 0)
                _ = poll(&descriptor, 1, -1)
                _ = PQconsumeInput(raw)
            })
        }
        if let tick {
            while PQisBusy(raw) != 0 {
                var descriptor = pollfd(fd: PQsocket(raw), events: Int16(POLLIN), revents: 0)
                if poll(&descriptor, 1, 100) < 0, errno != EINTR { break }
                if PQconsumeInput(raw) == 0 {  // PQgetResult reports the failure
                    keepLossMessage()
                    break
                }
                tick()
            }
        }
        return PQgetResult(raw).map(PGResult.init)
    }

    /// Between statements: reads, without waiting, whatever the server sent since the last
    /// result (a notice goes to the notice handler), and says whether the connection turned out
    /// to be closed: the server restarted or ended the session, or the network cut it, while
    /// nothing was running. Nothing is sent.
    func closedWhileIdle() -> Bool {
        if isBad { return true }
        // Bounded: each round takes what has arrived; a closed connection shows at once.
        for _ in 0..<16 {
            var descriptor = pollfd(fd: PQsocket(raw), events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { return false }
            if PQconsumeInput(raw) == 0 || isBad {
                keepLossMessage()
                return true
            }
            // PQconsumeInput only reads: parsing hands a notice (the server's reason for closing,
            // "terminating connection due to ...") to the notice handler before the end is read.
            _ = PQisBusy(raw)
        }
        return isBad
    }

    private func keepLossMessage() {
        if isBad, lossMessage == nil { lossMessage = Self.oneLine(String(cString: PQerrorMessage(raw))) }
    }

    func escapeIdentifier(_ text: String) -> String? {
        guard let escaped = PQescapeIdentifier(raw, text, text.utf8.count) else { return nil }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }

    func escapeLiteral(_ text: String) -> String? {
        guard let escaped = PQescapeLiteral(raw, text, text.utf8.count) else { return nil }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }

    /// Makes Ctrl-C cancel queries on this connection.
    func becomeCancelTarget() { curate_set_cancel_target(raw) }
}

private final class NoticeBox {
    let handler: (ServerError) -> Void
    init(_ handler: @escaping (ServerError) -> Void) { self.handler = handler }
}

/// Whether the C handler still points at `raw` (so a replaced connection does not clear a newer one).
private func curateCancelTargetIs(_ raw: OpaquePointer) -> Bool {
    curate_cancel_target_is(raw) != 0
}

extension PGConnection {
    /// Asks the server to stop the query in progress (not from a signal handler: a plain call).
    func cancelRunningQuery() {
        guard let cancel = PQgetCancel(raw) else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &buffer, Int32(buffer.count))
        PQfreeCancel(cancel)
    }

    /// Sends a block of COPY FROM STDIN data; false when the connection refused it.
    func putCopyData(_ data: UnsafeRawBufferPointer) -> Bool {
        guard let base = data.baseAddress, data.count > 0 else { return true }
        return PQputCopyData(raw, base.assumingMemoryBound(to: CChar.self), Int32(data.count)) == 1
    }

    /// Ends COPY FROM STDIN: successfully with nil, or failing it with `error` (the server rolls it back).
    func endCopyIn(error: String?) {
        _ = PQputCopyEnd(raw, error)
    }

    /// Hands each row (or binary block) of COPY TO STDOUT to `body` as it arrives, until the end.
    func receiveCopyData(_ body: (UnsafeRawBufferPointer) -> Void) {
        var buffer: UnsafeMutablePointer<CChar>? = nil
        while true {
            let count = PQgetCopyData(raw, &buffer, 0)
            guard count > 0, let data = buffer else { break }
            body(UnsafeRawBufferPointer(start: data, count: Int(count)))
            PQfreemem(data)
            buffer = nil
        }
    }
}

// Large objects: libpq's client-side calls (they run the server functions through the
// connection, so they need a transaction open, as psql gives them).
extension PGConnection {
    /// `lo_import`: the new object's OID, or nil (libpq's message in `errorMessage`).
    func importLargeObject(path: String) -> UInt32? {
        let oid = lo_import(raw, path)
        return oid == 0 ? nil : oid
    }

    /// `lo_export`: false on failure.
    func exportLargeObject(_ oid: UInt32, path: String) -> Bool {
        lo_export(raw, oid, path) == 1
    }

    /// `lo_unlink`: false on failure.
    func unlinkLargeObject(_ oid: UInt32) -> Bool {
        lo_unlink(raw, oid) != -1
    }

    /// libpq's last message as it wrote it, several lines kept (psql prints it so).
    var rawErrorMessage: String {
        var message = String(cString: PQerrorMessage(raw))
        while message.hasSuffix("\n") { message.removeLast() }
        return message
    }
}
