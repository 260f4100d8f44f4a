import ArgumentParser
import CurateKit

/// `\plugins`: every loaded plugin with its kind, origin, version and what it adds.
struct PluginsCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the loaded plugins: kind, version, what each adds, where it came from.",
        discussion: "Plugin folders, in order: ~/.config/curate/plugins, CURATE_PLUGIN_PATH, then each --plugin-dir DIR (none with --no-plugins)."
    )

    func run(shell: Shell) throws {
        let rows: [[String?]] = shell.registry.pluginDescriptions.map { plugin in
            [plugin.name, plugin.kind.rawValue, plugin.version, plugin.provides.joined(separator: " "), plugin.origin]
        }
        let context = shell.makeContext(isInteractive: shell.isInteractive)
        context.printTable(columns: ["plugin", "kind", "version", "provides", "origin"], rows: rows)
        // A "?" version is explained: it is what an author meets first when a plugin misbehaves.
        for plugin in shell.registry.externalPlugins {
            if let note = plugin.unknownVersionNote { shell.console.print(note) }
        }
        let folders = shell.pluginSearchPath.directories
        shell.console.print("Plugin folders: " + (folders.isEmpty ? "none" : folders.joined(separator: ", ")))
    }
}
