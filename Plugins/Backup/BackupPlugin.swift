import CurateKit

/// The `backup` plugin.
public struct BackupPlugin: CuratePlugin {
    public init() {}

    public var name: String { "backup" }
    public var version: String { "0.1.0" }
    public var commands: [any CurateCommand.Type] { [BackupCommand.self] }
}
