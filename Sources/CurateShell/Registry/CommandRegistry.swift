import CurateKit

/// The commands registered at startup, by name. A name can be claimed only once.
struct CommandRegistry {
    private(set) var commands: [String: RegisteredCommand] = [:]
    private(set) var plugins: [any CuratePlugin] = []
    private(set) var statementHandler: (any StatementHandler)?
    private var statementHandlerOrigin: String?

    struct Conflict: Error, CustomStringConvertible {
        let name: String
        let first: String
        let second: String
        var description: String {
            "command \\\(name) is claimed by both \(first) and \(second); remove one of them"
        }
    }

    mutating func register(_ command: RegisteredCommand) throws(Conflict) {
        if let existing = commands[command.name] {
            throw Conflict(name: command.name, first: existing.origin, second: command.origin)
        }
        commands[command.name] = command
    }

    mutating func register(plugin: any CuratePlugin) throws(Conflict) {
        for type in plugin.commands {
            let configuration = type.configuration
            let name = configuration.commandName ?? String(describing: type).lowercased()
            try register(RegisteredCommand(
                name: name,
                summary: configuration.abstract,
                origin: "plugin \(plugin.name)",
                kind: .plugin(type)
            ))
        }
        if let handler = plugin.statementHandler {
            if let statementHandlerOrigin {
                throw Conflict(name: "(SQL statements)", first: statementHandlerOrigin, second: "plugin \(plugin.name)")
            }
            statementHandler = handler
            statementHandlerOrigin = "plugin \(plugin.name)"
        }
        plugins.append(plugin)
    }

    func command(named name: String) -> RegisteredCommand? { commands[name] }

    var sortedCommands: [RegisteredCommand] { commands.values.sorted { $0.name < $1.name } }

    /// Registered names closest to a mistyped one (edit distance), best first.
    func suggestions(for name: String, limit: Int = 3) -> [String] {
        let scored = commands.keys.map { ($0, EditDistance.between($0, name)) }
        let threshold = max(2, name.count / 2)
        return scored
            .filter { $0.1 <= threshold || $0.0.hasPrefix(name) }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .prefix(limit)
            .map(\.0)
    }
}
