/// The server's view of the session's transaction, read after every statement (`PQtransactionStatus`).
public enum TransactionState: Sendable, Equatable {
    /// No transaction block open.
    case idle
    /// Inside a transaction block (after BEGIN).
    case inTransaction
    /// Inside a transaction block that has failed: everything until ROLLBACK is refused.
    case failed
    /// A query is running.
    case active
    /// No usable connection, so nobody knows.
    case unknown

    /// psql's `%x` prompt marker: empty, `*` or `!` (and `?` when unknown).
    public var promptMarker: String {
        switch self {
        case .idle, .active: return ""
        case .inTransaction: return "*"
        case .failed: return "!"
        case .unknown: return "?"
        }
    }

    /// True when a BEGIN is in effect (work that COMMIT or ROLLBACK will end).
    public var isOpen: Bool { self == .inTransaction || self == .failed }
}
