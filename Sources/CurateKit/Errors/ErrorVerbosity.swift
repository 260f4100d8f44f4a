/// How much of a server message libpq puts in its text: psql's `VERBOSITY` variable
/// (libpq's `PQsetErrorVerbosity`).
package enum ErrorVerbosity: String, Sendable, CaseIterable {
    /// Severity, message, DETAIL, HINT, QUERY and CONTEXT (as `ErrorContextVisibility` allows).
    case `default`
    /// Everything, with the SQLSTATE after the severity and the server's LOCATION.
    case verbose
    /// Severity and the primary message (with the position) only.
    case terse
    /// Severity and SQLSTATE only.
    case sqlstate
}

/// When libpq includes the server's CONTEXT lines: psql's `SHOW_CONTEXT` variable
/// (libpq's `PQsetErrorContextVisibility`).
package enum ErrorContextVisibility: String, Sendable, CaseIterable {
    /// Never.
    case never
    /// For errors, not for notices or warnings (libpq's default).
    case errors
    /// For notices and warnings too.
    case always
}
