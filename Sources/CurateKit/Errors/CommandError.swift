/// A command's own failure, with a message meant for the user.
///
/// Plugins throw this for anything that is not a server error: a missing file, a refused
/// confirmation, a precondition that does not hold. `hint` says what to do about it.
public struct CommandError: Error, Sendable, Equatable {
    /// What went wrong, in words for the user; printed after the command's name.
    public var message: String
    /// What to do about it, printed as `HINT:` on the next line; nil for none.
    public var hint: String?

    /// An error with `message` and, optionally, a `hint` saying what to do.
    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}

extension CommandError: CustomStringConvertible {
    /// The message, for an error interpolated into another message (`"... failed: \(error)"`).
    public var description: String { message }
}
