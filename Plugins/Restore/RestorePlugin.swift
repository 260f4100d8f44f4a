import CurateKit

/// The `restore` plugin.
public struct RestorePlugin: CuratePlugin {
    public init() {}

    public var name: String { "restore" }
    public var version: String { "0.1.0" }
    public var commands: [any CurateCommand.Type] { [RestoreCommand.self] }
}
