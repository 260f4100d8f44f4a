extension Session {
    /// A connection to another server of the same data, named by a connection string or URI
    /// (`host=standby port=5433`, `postgresql://standby:5433`) whose settings replace this
    /// session's, as psql's `\connect -reuse-previous=on CONNINFO` does: what it leaves out
    /// (database, user, TLS settings) is this session's. The password goes along only to the
    /// same user, host and port; another server needs one of its own (in the string, or the
    /// password file).
    ///
    /// For reading where the primary is not loaded: `\check --on standby` runs its checks on a
    /// hot standby through it. It drops server notices and closes when released; Ctrl-C reaches
    /// it only inside ``whileCancelTarget(returningTo:_:)``.
    public func openSession(replacingSettingsWith connectionString: String) throws -> Session {
        guard ConnectionOptions.isConnectionString(connectionString) else {
            throw CommandError("\"\(connectionString)\" is not a connection string",
                               hint: "keyword=value pairs (host=... port=...) or a postgresql:// URI")
        }
        var parameters = try connectParameters(for: ConnectRequest(reusePrevious: true, database: connectionString), password: nil)
        parameters.oneLineErrors = true
        let session = try Session(parameters: parameters, cancelTarget: false)
        session.noticeHandler = { _ in }
        return session
    }

    /// Runs `body` with Ctrl-C cancelling this session's statements; afterwards Ctrl-C cancels
    /// `session`'s again (the shell's own session, whose statements it cancels otherwise).
    public func whileCancelTarget<T>(returningTo session: Session, _ body: () throws -> T) rethrows -> T {
        becomeCancelTarget()
        defer { session.becomeCancelTarget() }
        return try body()
    }
}
