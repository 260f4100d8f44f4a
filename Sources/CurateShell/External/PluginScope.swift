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
            return PluginScope(kind: .autocommit, readOnly: readOnly, session: session, restoreWritable: restore)
        }
        switch session.transactionState {
        case .idle:
            try session.execute(readOnly ? "BEGIN READ ONLY" : "BEGIN")
            do {
                try session.execute("SAVEPOINT \(savepointName)")
            } catch {
                _ = try? session.execute("ROLLBACK")
                throw error
            }
            return PluginScope(kind: .transaction, readOnly: readOnly, session: session, restoreWritable: false)
        case .inTransaction:
            try session.execute("SAVEPOINT \(savepointName)")
            if readOnly {
                do {
                    try session.execute("SET LOCAL transaction_read_only = on")
                } catch {
                    _ = try? session.execute("ROLLBACK TO SAVEPOINT \(savepointName)")
                    _ = try? session.execute("RELEASE SAVEPOINT \(savepointName)")
                    throw error
                }
            }
            return PluginScope(kind: .savepoint, readOnly: readOnly, session: session, restoreWritable: false)
        case .failed, .active, .unknown:
            throw CommandError("\\\(pluginName) refused: the session is not ready for a plugin (its transaction has failed or the connection is gone)",
                               hint: "ROLLBACK first")
        }
    }

    /// The plugin finished ok: keep its work (a plugin that writes) or drop it (one that only reads).
    func close() throws {
        switch kind {
        case .savepoint:
            if readOnly { try session.execute("ROLLBACK TO SAVEPOINT \(Self.savepointName)") }
            try session.execute("RELEASE SAVEPOINT \(Self.savepointName)")
        case .transaction:
            try session.execute(readOnly ? "ROLLBACK" : "COMMIT")
        case .autocommit:
            if restoreWritable { try session.endTemporaryReadOnly() }
        }
    }

    /// The plugin failed: undo what it did. Never throws; returns what this means, for the user.
    func rollBack() -> String {
        // After the ROLLBACK below, and even when the connection is gone.
        defer { if restoreWritable { _ = try? session.endTemporaryReadOnly() } }
        guard session.isConnected else {
            return "the connection to the server was lost, and with it any transaction that was open"
        }
        switch kind {
        case .savepoint:
            let undone = (try? session.execute("ROLLBACK TO SAVEPOINT \(Self.savepointName)")) != nil
            _ = try? session.execute("RELEASE SAVEPOINT \(Self.savepointName)")
            guard undone else { return "its savepoint could not be rolled back: check the transaction before you COMMIT" }
            return readOnly
                ? "your transaction is still open, unchanged"
                : "its work was rolled back; your transaction is still open, with your own work unchanged"
        case .transaction:
            _ = try? session.execute("ROLLBACK")
            return readOnly ? "nothing was changed" : "its work was rolled back: nothing was committed"
        case .autocommit:
            if session.transactionState.isOpen { _ = try? session.execute("ROLLBACK") }
            return readOnly
                ? "nothing was changed"
                : "it runs outside a transaction (no-transaction), so the statements it completed before stay done"
        }
    }
}
