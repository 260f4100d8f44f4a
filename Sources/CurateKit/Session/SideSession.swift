extension Session {
    /// A second connection to the same server and database, as the same user, for a record
    /// that must not belong to the user's transaction (`\check` writing its run history while
    /// the user has a transaction open: a savepoint would be undone by the user's ROLLBACK).
    /// It has its own transactions, takes no Ctrl-C from the user's session, drops server
    /// notices, and closes when the returned session is released.
    public func openSideSession() throws -> Session {
        var side = connectionParameters
        side.oneLineErrors = true
        let session = try Session(parameters: side, cancelTarget: false)
        session.noticeHandler = { _ in }
        return session
    }
}
