import CurateKit

/// The `sql` plugin: sends SQL to the server and prints the results, plus `\conninfo`. Uses CurateKit's public API only.
public struct SQLPassthroughPlugin: CuratePlugin {
    public init() {}

    public var name: String { "sql" }
    public var version: String { "1.0.0" }
    public var commands: [any CurateCommand.Type] {
        [ConnectionInfoCommand.self]
    }
    public var statementHandler: (any StatementHandler)? { StatementPassthrough() }
}

/// Anything that is not a backslash command: streamed from the server, printed in the user's format.
struct StatementPassthrough: StatementHandler {
    func execute(_ statement: String, context: CommandContext) throws {
        try context.printResults(of: statement)
    }
}
