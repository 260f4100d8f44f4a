import CurateKit

/// The host's check of what a command will do against where it would run: the same rule for
/// built-in, Swift, pack and external plugins, applied before the command touches anything.
enum CapabilityGate {
    /// Throws a `CommandError` saying why and what to do when `capabilities` cannot run now.
    static func check(_ capabilities: CommandCapabilities, command: String, session: Session) throws {
        if capabilities.contains(.writesDatabase), session.isReadOnly {
            throw CommandError(
                "\\\(command) refused: it writes to the database and this session is read-only",
                hint: "\\set READONLY off leaves read-only mode (it asks first), or start curate without --read-only"
            )
        }
        if capabilities.contains(.requiresNoTransaction), session.transactionState.isOpen {
            let state = session.transactionState == .failed ? "a failed transaction is open" : "a transaction is open"
            throw CommandError(
                "\\\(command) refused: it cannot run inside a transaction block, and \(state)",
                hint: "end the transaction first: COMMIT to keep its changes, or ROLLBACK"
            )
        }
    }
}
