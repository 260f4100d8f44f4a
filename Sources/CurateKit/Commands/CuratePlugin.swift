/// A plugin: a named, versioned set of commands registered when the shell starts.
public protocol CuratePlugin {
    var name: String { get }
    var version: String { get }
    var commands: [any CurateCommand.Type] { get }
    /// The handler for input that is not a backslash command (SQL). Exactly one plugin provides it.
    var statementHandler: (any StatementHandler)? { get }
}

extension CuratePlugin {
    public var statementHandler: (any StatementHandler)? { nil }
}

/// Handles one SQL statement typed by the user or read from a script.
public protocol StatementHandler {
    func execute(_ statement: String, context: CommandContext) throws
}
