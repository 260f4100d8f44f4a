import CurateKit

/// The `check` plugin.
public struct CheckPlugin: CuratePlugin {
    public init() {}

    public var name: String { "check" }
    public var version: String { "0.1.0" }
    public var commands: [any CurateCommand.Type] { [] }
}
