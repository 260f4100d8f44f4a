import ArgumentParser
import CurateKit

/// One command as the registry knows it: where it came from, how to describe it, how to run it.
struct RegisteredCommand {
    enum Kind {
        /// A command of the shell itself (`\q`, `\set`, ...): it changes the shell's own state.
        case shell(any BuiltinCommand.Type)
        /// A plugin's command: it sees only CurateKit's public API.
        case plugin(any CurateCommand.Type)
        /// A `curate-NAME` executable: its arguments are passed through as typed.
        case external(ExternalPlugin)
    }

    let name: String
    let summary: String
    /// The plugin that contributed it ("shell" for the shell's own).
    let origin: String
    let kind: Kind
    /// The plugin instance that registered it (plugin commands), handed to its context.
    var plugin: (any CuratePlugin)? = nil

    /// The argument-parser type, for commands declared as one (not external plugins).
    var parsableType: (any ParsableCommand.Type)? {
        switch kind {
        case .shell(let type): return type
        case .plugin(let type): return type
        case .external: return nil
        }
    }

    /// The generated help, with the usage line written the way the command is typed (`\name`).
    var helpText: String {
        if case .external(let plugin) = kind { return plugin.helpText(timeout: 5) }
        guard let parsableType else { return summary }
        let text = parsableType.helpMessage(columns: 100)
        if case .shell(let type) = kind, let slash = type as? any SlashCommand.Type {
            // psql's commands read their own arguments (`--help` is one): the synopsis says
            // what they take, and there are no options to list.
            let own = type.configuration.commandName ?? name
            let usage = "USAGE: \\" + own + (slash.synopsis.isEmpty ? "" : " " + slash.synopsis)
            let withoutOptions = text.range(of: "\nOPTIONS:").map { String(text[..<$0.lowerBound]) } ?? text
            return withoutOptions.replacingFirst("USAGE: \(own)", with: usage)
        }
        return text.replacingFirst("USAGE: \(name)", with: "USAGE: \\\(name)")
    }

    /// The one-line usage, for error messages.
    var usageText: String {
        guard let parsableType else { return "\\\(name) [ARGUMENTS...]" }
        if case .shell(let type) = kind, let slash = type as? any SlashCommand.Type {
            return "\\" + name + (slash.synopsis.isEmpty ? "" : " " + slash.synopsis)
        }
        let usage = parsableType.usageString()
        return usage.hasPrefix(name) ? "\\" + usage : usage
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
