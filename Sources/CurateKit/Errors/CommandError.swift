/// A command's own failure, with a message meant for the user.
///
/// Plugins throw this for anything that is not a server error: a missing file, a refused
/// confirmation, a precondition that does not hold. `hint` says what to do about it.
public struct CommandError: Error, Sendable, Equatable {
    public var message: String
    public var hint: String?

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}
