import CurateKit

/// Where an external plugin's statements run in the shared session, opened before the plugin is
/// invoked and closed when it finishes:
///
/// | the user's session | the plugin | curate runs its statements in | when it finishes ok | when it fails |
/// | --- | --- | --- | --- | --- |
/// | in a transaction | writes | `SAVEPOINT curate_plugin` | `RELEASE` (the work joins the user's transaction) | `ROLLBACK TO` the savepoint |
/// | in a transaction | reads only | the savepoint, with `SET LOCAL transaction_read_only = on` | `ROLLBACK TO` the savepoint | `ROLLBACK TO` the savepoint |
/// | no transaction | writes | `BEGIN` and the savepoint: a transaction of its own | `COMMIT` | `ROLLBACK` |
/// | no transaction | reads only | `BEGIN READ ONLY` and the savepoint | `ROLLBACK` | `ROLLBACK` |
/// | no transaction | no-transaction | autocommit: each statement on its own | — | statements already run stay done |
///
/// A plugin therefore never commits or ends the user's transaction, its work commits only when it
/// finishes ok, and a plugin that does not declare `writes` changes nothing that outlives it (the
/// server refuses its writes, and its savepoint is always rolled back, settings included).
struct PluginScope {
    enum Kind: String {
        /// A savepoint inside the user's open transaction.
        case savepoint
        /// A transaction of the plugin's own, committed when it finishes ok.
        case transaction
        /// No transaction: the plugin declared no-transaction.
        case autocommit
    }

    let kind: Kind
    /// The plugin does not declare `writes`.
    let readOnly: Bool
    private let session: Session
    /// The transaction of the plugin's own (kind transaction) or nil.
    private let transaction: TransactionScope?
    /// The savepoint the plugin's statements run in (kinds savepoint and transaction).
    private let savepoint: TransactionScope?
    /// Autocommit without `writes`: curate made the session read-only for the plugin's run (locked:
    /// the plugin cannot lift it) and makes it writable again afterwards.
    private let restoreWritable: Bool

    static let savepointName = "curate_plugin"

    /// Opens the scope for a plugin with `capabilities` (already checked by `CapabilityGate`).
    static func open(in session: Session, capabilities: CommandCapabilities, pluginName: String) throws -> PluginScope {
        let readOnly = !capabilities.contains(.writesDatabase)
        if capabilities.contains(.requiresNoTransaction) {
            let restore = readOnly && !session.isReadOnly
            if restore { try session.beginTemporaryReadOnly() }
            return PluginScope(kind: .autocommit, readOnly: readOnly, session: session, transaction: nil, savepoint: nil,
                               restoreWritable: restore)
        }
        switch session.transactionState {
        case .idle:
            do throws(TransactionError) {
                let transaction = try TransactionScope.open(in: session, readOnly: readOnly)
                let savepoint: TransactionScope
                do {
                    savepoint = try TransactionScope.openSavepoint(in: session, named: savepointName)
                } catch {
                    throw transaction.fail(error.error, in: .begin)
                }
                return PluginScope(kind: .transaction, readOnly: readOnly, session: session, transaction: transaction,
                                   savepoint: savepoint, restoreWritable: false)
            } catch {
                throw error.reported
            }
        case .inTransaction:
            do {
                let savepoint = try TransactionScope.openSavepoint(in: session, named: savepointName, readOnly: readOnly)
                return PluginScope(kind: .savepoint, readOnly: readOnly, session: session, transaction: nil,
                                   savepoint: savepoint, restoreWritable: false)
            } catch {
                throw error.reported
            }
        case .failed, .active, .unknown:
            throw CommandError("\\\(pluginName) refused: the session is not ready for a plugin (its transaction has failed or the connection is gone)",
                               hint: "ROLLBACK first")
        }
    }

    /// The plugin finished ok: keep its work (a plugin that writes) or drop it (one that only reads).
    func close() throws {
        do {
            switch kind {
            case .savepoint:
                if readOnly { try savepoint?.rollBack() } else { try savepoint?.commit() }
            case .transaction:
                if readOnly { try transaction?.rollBack() } else { try transaction?.commit() }
            case .autocommit:
                if restoreWritable { try session.endTemporaryReadOnly() }
            }
        } catch let error as TransactionError {
            throw error.reported
        }
    }

    /// The plugin failed: undo what it did. Never throws; returns what this means, for the user
    /// (a rollback that failed included).
    func rollBack() -> String {
        guard session.isConnected else {
            // A new connection starts writable anyway: nothing to send.
            _ = restoreWritableIfNeeded()
            return "the connection to the server was lost, and with it any transaction that was open"
        }
        switch kind {
        case .savepoint:
            do {
                try savepoint?.rollBack()
            } catch {
                return "its savepoint could not be rolled back (\(TransactionError.text(of: error.error))): check the transaction before you COMMIT"
            }
            return readOnly
                ? "your transaction is still open, unchanged"
                : "its work was rolled back; your transaction is still open, with your own work unchanged"
        case .transaction:
            do {
                try transaction?.rollBack()
            } catch {
                return "its transaction could not be rolled back (\(TransactionError.text(of: error.error)))"
            }
            return readOnly ? "nothing was changed" : "its work was rolled back: nothing was committed"
        case .autocommit:
            var outcome = readOnly
                ? "nothing was changed"
                : "it runs outside a transaction (no-transaction), so the statements it completed before stay done"
            if session.transactionState.isOpen {
                do {
                    try session.execute("ROLLBACK")
                } catch {
                    outcome += "; the transaction it left open could not be rolled back: \(TransactionError.text(of: error))"
                }
            }
            // After the ROLLBACK: a failed transaction would refuse the SET.
            return outcome + restoreWritableIfNeeded()
        }
    }

    /// Ends the temporary read-only mode; "" or what failed, for the user.
    private func restoreWritableIfNeeded() -> String {
        guard restoreWritable else { return "" }
        do {
            try session.endTemporaryReadOnly()
            return ""
        } catch {
            return "; making the session writable again failed: \(TransactionError.text(of: error))"
        }
    }
}
