/// A plugin: a named, versioned set of commands registered when the shell starts.
///
/// Built-in plugins and a Swift package's own plugins implement it alike; the shell registers the
/// built-in ones first, then the ones passed to `CurateMain.run(plugins:)`.
public protocol CuratePlugin {
    /// The plugin's name, as `\plugins` lists it and as name clashes are reported.
    var name: String { get }
    /// The plugin's version, as `\plugins` lists it.
    var version: String { get }
    /// The command types it adds, each registered under its `configuration.commandName`.
    var commands: [any CurateCommand.Type] { get }
    /// The handler for input that is not a backslash command (SQL). Exactly one plugin provides it.
    var statementHandler: (any StatementHandler)? { get }

    /// Called once at startup with the trusted plugin directories, for a plugin that reads files
    /// from them (the check plugin's check packs). Problems go to `console` as warnings; a bad file
    /// is skipped, never fatal.
    func load(from searchPath: PluginSearchPath, console: Console)

    /// What this plugin loaded from files (one entry per file), for `\plugins`. Read each time, so a
    /// reload shows at once.
    var loadedFromFiles: [PluginDescription] { get }
}

extension CuratePlugin {
    public var statementHandler: (any StatementHandler)? { nil }
    public func load(from searchPath: PluginSearchPath, console: Console) {}
    public var loadedFromFiles: [PluginDescription] { [] }
}

/// Handles one SQL statement typed by the user or read from a script.
public protocol StatementHandler {
    /// Runs `statement` (one complete SQL statement, without its `;`) in the shared session.
    func execute(_ statement: String, context: CommandContext) throws
}
