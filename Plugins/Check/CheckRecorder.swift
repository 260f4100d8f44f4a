import CurateChecks
import CurateKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a `\check` run into the run history (`CheckHistoryStore`) without touching the
/// user's transaction: with no transaction open, on the session in a statement of its own;
/// inside the user's transaction, on a second connection (a savepoint would be rolled back
/// with the user's transaction). A run is never failed by its recording: a record that cannot
/// be written is one warning line.
struct CheckRecorder {
    let context: CommandContext
    /// The loaded pack files, for their versions.
    let packFiles: [PackFile]

    /// How many finding keys each result keeps (`CURATE_CHECK_HISTORY_KEYS`, default 1000).
    var keyLimit: Int {
        context.variables["CURATE_CHECK_HISTORY_KEYS"].flatMap { Int($0) }.map { max(0, $0) } ?? CheckRunRecord.defaultKeyLimit
    }

    var curateVersion: String {
        let value = context.variables["VERSION_NAME"] ?? ""
        return value.isEmpty ? "unknown" : value
    }

    func packVersion(_ pack: String) -> String {
        packFiles.first { $0.pack.name == pack }?.version ?? "built-in"
    }


    /// Why nothing can be recorded on this connection, or nil.
    func readOnlyReason() -> String? {
        let session = context.session
        if session.parameterStatus("in_hot_standby") == "on" { return "the server is a standby (read-only)" }
        if session.isReadOnly { return "the session is read-only" }
        return nil
    }

    /// Records `record` (built only when it will be written); notes on stderr say when it is not.
    /// True when it was written.
    @discardableResult
    func record(_ record: () -> CheckRunRecord) -> Bool {
        let console = context.console
        if let reason = readOnlyReason() {
            console.printError("Not recorded in the check history: \(reason).")
            return false
        }
        let session = context.session
        guard session.isConnected else {
            console.printError("curate: warning: this check run was not recorded: the connection is lost")
            return false
        }
        do {
            let target: Session
            if session.transactionState == .idle {
                target = session
            } else {
                target = try session.openSideSession()
                // The user's transaction may hold a lock the record needs: wait a little, never forever.
                try target.execute("SET lock_timeout = '5s'")
            }
            let store = CheckHistoryStore(session: target, schema: CheckHistoryStore.schemaName(context.variables))
            if try !store.exists() {
                try store.create()
                console.printError("Created \(store.schema).check_run and \(store.schema).check_result: check runs are recorded there (\\check --history; --no-record skips).")
            }
            try store.insert(record())
            return true
        } catch {
            console.printError("curate: warning: this check run was not recorded in the check history: \(Self.describe(error))")
            return false
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    static func describe(_ error: any Error) -> String {
        if let server = error as? ServerError { return server.message }
        if let command = error as? CommandError { return command.message }
        if let connection = error as? ConnectionError { return connection.message }
        return "\(error)"
    }
}
