import CurateKit

/// The host's check of what a command will do against where it would run: the same rule for
/// built-in, Swift, pack and external plugins, applied before the command touches anything.
enum CapabilityGate {
    /// Throws a `CommandError` saying why and what to do when `capabilities` cannot run now (the
    /// shell prefixes it with the command's name).
    static func check(_ capabilities: CommandCapabilities, session: Session) throws {
        if capabilities.contains(.writesDatabase), session.isReadOnly {
            throw CommandError(
                "refused: it writes to the database and this session is read-only",
                hint: "\\set READONLY off leaves read-only mode (it asks first), or start curate without --read-only"
            )
        }
        if capabilities.contains(.requiresNoTransaction), session.transactionState.isOpen {
            let state = session.transactionState == .failed ? "a failed transaction is open" : "a transaction is open"
            throw CommandError(
                "refused: it cannot run inside a transaction block, and \(state)",
                hint: "end the transaction first: COMMIT to keep its changes, or ROLLBACK"
            )
        }
    }
}
