import CurateKit

extension BackupCommand {
    /// Listing and pruning only look at files; taking or verifying a backup starts pg_dump or
    /// pg_restore. None of them writes to the session's database.
    var invocationCapabilities: CommandCapabilities {
        // pgBackRest lists and expires through its own program.
        if engine == .pgbackrest { return [.startsPrograms] }
        switch action.first {
        case "list", "prune": return []
        default: return [.startsPrograms]
        }
    }
}
