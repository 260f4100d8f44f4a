import CurateKit

/// The archive plugin: commands for the FitsStorage archive schema (`file`, `diskfile`,
/// `ingestqueue`) that curate's own checks and fixes do not cover.
///
/// A plugin is a name, a version and its commands; `main.swift` hands it to
/// `CurateMain.run(plugins:)`, which registers it after the built-in plugins. A command name that is
/// already taken (by a built-in or an earlier plugin) is refused at startup with a warning, so pick
/// names that say what the command is about.
public struct ArchivePlugin: CuratePlugin {
    public init() {}

    public var name: String { "archive" }
    public var version: String { "1.0.0" }
    public var commands: [any CurateCommand.Type] { [FileHistoryCommand.self, RequeueCommand.self] }
}
