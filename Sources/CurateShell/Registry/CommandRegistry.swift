import CurateKit

/// The commands registered at startup, by name, and the plugins they came from. A name can be
/// claimed only once: a later claim is refused (and reported), never silently shadowing.
struct CommandRegistry {
    private(set) var commands: [String: RegisteredCommand] = [:]
    /// Code plugins in registration order, with their kind (built-in or Swift).
    private(set) var plugins: [(plugin: any CuratePlugin, kind: PluginKind)] = []
    /// `curate-NAME` executables, in registration order.
    private(set) var externalPlugins: [ExternalPlugin] = []
    private(set) var statementHandler: (any StatementHandler)?
    private var statementHandlerOrigin: String?

    struct Conflict: Error, CustomStringConvertible {
        let name: String
        let first: String
        let second: String
        var description: String {
            "\\\(name) of \(second) refused: the name is already taken by \(first); rename or remove one of them"
        }
    }

    mutating func register(_ command: RegisteredCommand) throws(Conflict) {
        if let existing = commands[command.name] {
            throw Conflict(name: command.name, first: existing.origin, second: command.origin)
        }
        commands[command.name] = command
    }

    /// Registers every command of `plugin` whose name is free; returns the refused ones.
    @discardableResult
    mutating func register(plugin: any CuratePlugin, kind: PluginKind = .builtIn) -> [Conflict] {
        var conflicts: [Conflict] = []
        let origin = Self.origin(name: plugin.name, kind: kind)
        for type in plugin.commands {
            let configuration = type.configuration
            let name = configuration.commandName ?? String(describing: type).lowercased()
            do {
                try register(RegisteredCommand(name: name, summary: configuration.abstract, origin: origin, kind: .plugin(type), plugin: plugin))
            } catch {
                conflicts.append(error)
            }
        }
        if let handler = plugin.statementHandler {
            if let statementHandlerOrigin {
                conflicts.append(Conflict(name: "(SQL statements)", first: statementHandlerOrigin, second: origin))
            } else {
                statementHandler = handler
                statementHandlerOrigin = origin
            }
        }
        plugins.append((plugin, kind))
        return conflicts
    }

    /// Registers an external plugin's command unless its name is taken.
    mutating func register(external plugin: ExternalPlugin) throws(Conflict) {
        try register(RegisteredCommand(
            name: plugin.name,
            summary: "external plugin \(plugin.path)",
            origin: Self.origin(name: plugin.name, kind: .external),
            kind: .external(plugin)
        ))
        externalPlugins.append(plugin)
    }

    static func origin(name: String, kind: PluginKind) -> String {
        switch kind {
        case .builtIn: return "built-in plugin \(name)"
        case .swift: return "Swift plugin \(name)"
        case .pack: return "check pack \(name)"
        case .external: return "external plugin \(name)"
        }
    }

    /// The command typed as `name`: registered under it, or under a shorter name followed by
    /// that command's modifier letters (`dtS+` is `dt`), the longest such name first.
    func command(named name: String) -> RegisteredCommand? {
        if let exact = commands[name] { return exact }
        var base = Substring(name)
        while !base.isEmpty {
            base = base.dropLast()
            guard let command = commands[String(base)], case .shell(let type) = command.kind else { continue }
            if name.dropFirst(base.count).allSatisfy(type.nameModifiers.contains) { return command }
        }
        return nil
    }

    var sortedCommands: [RegisteredCommand] { commands.values.sorted { $0.name < $1.name } }

    /// Every loaded plugin, for `\plugins`: code plugins, the files they loaded, external plugins.
    var pluginDescriptions: [PluginDescription] {
        var descriptions: [PluginDescription] = []
        for (plugin, kind) in plugins {
            let origin = Self.origin(name: plugin.name, kind: kind)
            let names = commands.values.filter { $0.origin == origin }.map { "\\" + $0.name }.sorted()
            descriptions.append(PluginDescription(
                name: plugin.name,
                kind: kind,
                origin: kind == .builtIn ? "curate" : CurateVersion.executableName,
                version: plugin.version,
                provides: names + (plugin.statementHandler != nil && statementHandlerOrigin == origin ? ["SQL statements"] : [])
            ))
            descriptions += plugin.loadedFromFiles
        }
        descriptions += externalPlugins.map(\.description)
        return descriptions
    }

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
