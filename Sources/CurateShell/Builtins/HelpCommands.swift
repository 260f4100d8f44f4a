import ArgumentParser
import CurateKit

/// `\?`: every registered command with its summary, from the registry.
struct ListCommandsCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "?", abstract: "List every command with a one-line summary.")

    func run(shell: Shell) throws {
        shell.console.print(Self.text(registry: shell.registry))
    }

    /// The list (also `curate --help=commands`). An alias (`\include`) is listed under the
    /// command's own name only.
    static func text(registry: CommandRegistry) -> String {
        let commands = listedCommands(registry: registry)
        let width = (commands.map { $0.name.count }.max() ?? 0) + 3
        var lines = ["Commands (\\help NAME or \\NAME --help for details):"]
        for command in commands {
            let name = "\\" + command.name
            lines.append("  " + name + String(repeating: " ", count: max(1, width - name.count)) + command.summary)
        }
        lines.append("Anything else is SQL, sent to the server when it ends with ;")
        return lines.joined(separator: "\n")
    }

    /// The commands the list shows (also the man page's): aliases and hidden ones left out.
    static func listedCommands(registry: CommandRegistry) -> [RegisteredCommand] {
        registry.sortedCommands.filter { command in
            guard let type = command.parsableType else { return true }
            return type.configuration.shouldDisplay && type.configuration.commandName == command.name
        }
    }
}

/// `\help NAME`: the same text as `\NAME --help`.
struct HelpCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "help", abstract: "Show a command's usage and options.")

    @Argument(help: "The command, with or without its backslash.")
    var name: String?

    func run(shell: Shell) throws {
        guard let name else {
            try ListCommandsCommand().run(shell: shell)
            return
        }
        let bare = name.hasPrefix("\\") ? String(name.dropFirst()) : name
        guard let command = shell.registry.command(named: bare) else {
            let suggestions = shell.registry.suggestions(for: bare).map { "\\" + $0 }
            throw CommandError(
                "no command \\\(bare)" + DidYouMean.phrase(suggestions),
                hint: "\\? lists the commands"
            )
        }
        shell.console.print(command.helpText)
    }
}
