import CurateKit

/// The `backup` plugin.
public struct BackupPlugin: CuratePlugin {
    public init() {}

    public var name: String { "backup" }
    public var version: String { CurateRelease.version }
    public var commands: [any CurateCommand.Type] { [BackupCommand.self] }
}
