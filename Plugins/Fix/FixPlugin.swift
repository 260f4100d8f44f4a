import CurateKit

/// The `fix` plugin.
public struct FixPlugin: CuratePlugin {
    public init() {}

    public var name: String { "fix" }
    public var version: String { "0.1.0" }
    public var commands: [any CurateCommand.Type] { [] }
}
