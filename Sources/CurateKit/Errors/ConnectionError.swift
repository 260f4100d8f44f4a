/// The connection could not be made, or was lost.
public struct ConnectionError: Error, Sendable, Equatable {
    /// How the connection failed.
    public enum Kind: Sendable, Equatable {
        /// Connecting failed; libpq's message says why.
        case connectFailed
        /// The server asked for a password that was not given.
        case passwordRequired
        /// An established connection broke (server stopped, network cut).
        case lost
    }

    /// Connecting failed, a password was needed, or the connection was lost.
    public var kind: Kind
    /// libpq's message, first line only (it never contains the password).
    public var message: String
    /// For `.lost`: a transaction was open, and the server has rolled it back.
    public var transactionLost: Bool
    /// For `.lost`: the connection broke after COMMIT was sent and before its answer came. The
    /// server may have committed the transaction or not; only the data can tell.
    public var commitOutcomeUnknown: Bool

    /// An error of `kind` with libpq's `message`.
    public init(kind: Kind, message: String, transactionLost: Bool = false, commitOutcomeUnknown: Bool = false) {
        self.kind = kind
        self.message = message
        self.transactionLost = transactionLost
        self.commitOutcomeUnknown = commitOutcomeUnknown
    }
}

extension ConnectionError: CustomStringConvertible {
    /// libpq's message (after "the connection to the server was lost: " for a lost one), for an
    /// error interpolated into another message.
    public var description: String {
        guard kind == .lost else { return message }
        return "the connection to the server was lost: \(message)"
            + (commitOutcomeUnknown ? " (while committing: whether the transaction was committed is not known)" : "")
    }
}
