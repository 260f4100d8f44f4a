import CurateKit

/// The `restore` plugin.
public struct RestorePlugin: CuratePlugin {
    public init() {}

    public var name: String { "restore" }
    public var version: String { CurateRelease.version }
    public var commands: [any CurateCommand.Type] { [RestoreCommand.self] }
}
