/// A failure of a scoped transaction, typed by the step that failed (PostgresNIO's
/// `PostgresTransactionError` is the model): beginning the scope, the body, committing it, and
/// — after any of those — rolling it back.
public struct TransactionError: Error, CustomStringConvertible {
    /// The steps of a scope.
    public enum Step: String, Sendable {
        /// `BEGIN` or `SAVEPOINT` (and the settings made for the scope).
        case begin
        /// The work done inside the scope.
        case body
        /// `COMMIT` or `RELEASE SAVEPOINT`.
        case commit
        /// `ROLLBACK` or `ROLLBACK TO SAVEPOINT`.
        case rollback
    }

    /// The step that failed first.
    public let step: Step
    /// Its error.
    public let error: any Error
    /// Rolling back after that failure failed too (nil: rolled back, or nothing to roll back).
    public let rollbackError: (any Error)?

    public init(step: Step, error: any Error, rollbackError: (any Error)? = nil) {
        self.step = step
        self.error = error
        self.rollbackError = rollbackError
    }

    public var beginError: (any Error)? { step == .begin ? error : nil }
    public var bodyError: (any Error)? { step == .body ? error : nil }
    public var commitError: (any Error)? { step == .commit ? error : nil }

    /// The error to hand on to the user: the failing step's own error when the scope was rolled
    /// back cleanly (nothing more to say), else this error, which names both failures.
    public var reported: any Error {
        rollbackError == nil ? error : self
    }

    public var description: String {
        let first = Self.text(of: error)
        guard let rollbackError else { return first }
        return first + "; rolling back failed as well: " + Self.text(of: rollbackError)
            + " (look at the transaction before you COMMIT)"
    }

    package static func text(of error: any Error) -> String {
        if let server = error as? ServerError { return server.message }
        if let connection = error as? ConnectionError { return connection.message }
        if let transaction = error as? TransactionError { return transaction.description }
        return "\(error)"
    }
}

/// A transaction, or a savepoint inside the open one, opened by curate around a piece of work
/// in the user's session: the one primitive behind every "savepoint or transaction around a
/// body, release or roll back, report what happened" in the shell and the plugins.
///
/// With no transaction open it is a transaction of its own (`BEGIN` … `COMMIT`/`ROLLBACK`);
/// inside the user's transaction it is a savepoint (`SAVEPOINT` … `RELEASE`/`ROLLBACK TO`), so the
/// user's transaction stays theirs. Each step that fails is reported as a ``TransactionError``
/// naming the step; a failed rollback is never dropped.
public final class TransactionScope {
    public enum Kind: Equatable, Sendable {
        /// A transaction of the scope's own.
        case transaction
        /// A savepoint of the user's open transaction, by name.
        case savepoint(String)
    }

    public let kind: Kind
    /// Opened read-only (`BEGIN READ ONLY`, or `SET LOCAL transaction_read_only` in a savepoint).
    public let readOnly: Bool
    private let session: Session
    /// Committed or rolled back already.
    public private(set) var isClosed = false

    private init(kind: Kind, readOnly: Bool, session: Session) {
        self.kind = kind
        self.readOnly = readOnly
        self.session = session
    }

    /// Opens a scope: a transaction when none is open, a savepoint named `savepointName` (or a
    /// fresh one) inside an open transaction. `settings` are made with `SET LOCAL` for the
    /// scope alone. A failed transaction or a session not ready is refused (step `begin`).
    public static func open(
        in session: Session, readOnly: Bool = false, savepointName: String? = nil, settings: [QuerySetting] = []
    ) throws(TransactionError) -> TransactionScope {
        let scope: TransactionScope
        switch session.transactionState {
        case .idle:
            scope = TransactionScope(kind: .transaction, readOnly: readOnly, session: session)
            do {
                try session.execute(readOnly ? "BEGIN READ ONLY" : "BEGIN")
            } catch {
                throw TransactionError(step: .begin, error: error)
            }
        case .inTransaction:
            return try openSavepoint(in: session, named: savepointName, readOnly: readOnly, settings: settings)
        case .failed:
            throw TransactionError(step: .begin, error: CommandError(
                "the current transaction has failed; nothing can run in it",
                hint: "ROLLBACK (or ROLLBACK TO a savepoint) first"))
        case .active, .unknown:
            // A connection lost earlier in the command: say so, rather than "not ready".
            if let error = session.lostConnectionError { throw TransactionError(step: .begin, error: error) }
            throw TransactionError(step: .begin, error: CommandError("the session is not ready for a transaction"))
        }
        try scope.apply(settings)
        return scope
    }

    /// Opens a savepoint of the open transaction (refused without one).
    public static func openSavepoint(
        in session: Session, named name: String? = nil, readOnly: Bool = false, settings: [QuerySetting] = []
    ) throws(TransactionError) -> TransactionScope {
        guard session.transactionState == .inTransaction else {
            throw TransactionError(step: .begin, error: CommandError("a savepoint needs an open transaction"))
        }
        let savepoint = name ?? session.nextSavepointName()
        let scope = TransactionScope(kind: .savepoint(savepoint), readOnly: readOnly, session: session)
        do {
            try session.execute("SAVEPOINT \(savepoint)")
        } catch {
            throw TransactionError(step: .begin, error: error)
        }
        if readOnly {
            try scope.apply([QuerySetting("transaction_read_only", "on")])
        }
        try scope.apply(settings)
        return scope
    }

    /// `SET LOCAL` each setting; a failure rolls the scope back (step `begin`).
    private func apply(_ settings: [QuerySetting]) throws(TransactionError) {
        guard !settings.isEmpty else { return }
        let sql = "SELECT " + settings.indices
            .map { "pg_catalog.set_config($\($0 * 2 + 1), $\($0 * 2 + 2), true)" }.joined(separator: ", ")
        do {
            try session.execute(sql, settings.flatMap { [$0.name, $0.value] })
        } catch {
            throw fail(error, in: .begin)
        }
    }

    /// Keeps the scope's work: `COMMIT`, or `RELEASE SAVEPOINT` (the work joins the user's
    /// transaction). A failure is step `commit` (a failed COMMIT has ended the transaction; a
    /// failed RELEASE is rolled back to).
    public func commit() throws(TransactionError) {
        guard !isClosed else { return }
        do {
            switch kind {
            case .transaction: try session.execute("COMMIT")
            case .savepoint(let name): try session.execute("RELEASE SAVEPOINT \(name)")
            }
            isClosed = true
        } catch {
            if case .transaction = kind {
                isClosed = true
                throw TransactionError(step: .commit, error: error)
            }
            throw fail(error, in: .commit)
        }
    }

    /// Undoes the scope's work: `ROLLBACK`, or `ROLLBACK TO` and `RELEASE` of the savepoint
    /// (`keepingSavepoint`: without the `RELEASE`, as psql's ON_ERROR_ROLLBACK leaves it).
    /// Nothing to do when the connection is gone (the server has ended the transaction).
    public func rollBack(keepingSavepoint: Bool = false) throws(TransactionError) {
        guard !isClosed else { return }
        isClosed = true
        guard session.isConnected, session.transactionState.isOpen else { return }
        do {
            switch kind {
            case .transaction:
                try session.execute("ROLLBACK")
            case .savepoint(let name):
                try session.execute("ROLLBACK TO SAVEPOINT \(name)")
                if !keepingSavepoint { try session.execute("RELEASE SAVEPOINT \(name)") }
            }
        } catch {
            throw TransactionError(step: .rollback, error: error)
        }
    }

    /// `error` happened in `step`: rolls the scope back and returns the failure to throw, with
    /// the rollback's own failure when there was one.
    public func fail(_ error: any Error, in step: TransactionError.Step = .body) -> TransactionError {
        do {
            try rollBack()
            return TransactionError(step: step, error: error)
        } catch let rollback {
            return TransactionError(step: step, error: error, rollbackError: rollback.error)
        }
    }
}

extension Session {
    /// Runs `body` in a ``TransactionScope``: committed (or released) when it returns, rolled back
    /// when it throws. `keep: false` rolls back even when it returns (work that only reads, or
    /// settings meant for `body` alone). Every step's failure is a typed ``TransactionError``.
    @discardableResult
    public func withTransaction<T>(
        readOnly: Bool = false, keep: Bool = true, savepointName: String? = nil, settings: [QuerySetting] = [],
        _ body: () throws -> T
    ) throws(TransactionError) -> T {
        let scope = try TransactionScope.open(in: self, readOnly: readOnly, savepointName: savepointName, settings: settings)
        return try scope.run(keep: keep, body)
    }

    /// ``withTransaction(readOnly:keep:savepointName:settings:_:)`` inside the open transaction
    /// only: always a savepoint.
    @discardableResult
    public func withSavepoint<T>(
        named name: String? = nil, readOnly: Bool = false, keep: Bool = true, _ body: () throws -> T
    ) throws(TransactionError) -> T {
        let scope = try TransactionScope.openSavepoint(in: self, named: name, readOnly: readOnly)
        return try scope.run(keep: keep, body)
    }
}

extension TransactionScope {
    /// Runs `body`, then commits (`keep`) or rolls back; a throw rolls back.
    func run<T>(keep: Bool, _ body: () throws -> T) throws(TransactionError) -> T {
        let value: T
        do {
            value = try body()
        } catch {
            throw fail(error)
        }
        if keep {
            try commit()
        } else {
            try rollBack()
        }
        return value
    }
}
