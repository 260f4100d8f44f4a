import CurateKit

extension RestoreCommand {
    /// `--list` only reads the backup; every other form creates or changes a database.
    var invocationCapabilities: CommandCapabilities {
        list ? [.startsPrograms] : Self.capabilities
    }
}
