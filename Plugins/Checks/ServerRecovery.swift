import CurateKit

/// Whether a session's server is a standby (in recovery): `\check --on standby` requires it of
/// the standby and refuses it of the session (whose server is the primary the lag is measured
/// against), and `\fix` refuses to write through a session connected to a standby.
public enum ServerRecovery {
    /// True when the server is in recovery. The server reports `in_hot_standby` (PostgreSQL 14
    /// and later); an older one is asked (`pg_is_in_recovery()`, which cannot fail, in a
    /// savepoint inside the user's transaction). Nil when it cannot be told (a failed transaction).
    public static func isInRecovery(_ session: Session) throws -> Bool? {
        if let reported = session.parameterStatus("in_hot_standby") { return reported == "on" }
        let ask = { try session.execute("SELECT pg_catalog.pg_is_in_recovery()").rows.first?[0] == "t" }
        switch session.transactionState {
        case .idle: return try ask()
        case .inTransaction: return try session.savepoint(ask)
        default: return nil
        }
    }
}
