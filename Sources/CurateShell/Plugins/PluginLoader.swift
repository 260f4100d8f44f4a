import CurateKit

/// Builds the registry at startup: the shell's commands, the built-in plugins, then (unless
/// `--no-plugins`) a package's own Swift plugins and the `curate-NAME` executables of the trusted
/// folders. A refused folder, file or name becomes a warning; everything else still loads.
struct PluginLoader {
    let shellCommands: [RegisteredCommand]
    let extraPlugins: [any CuratePlugin]
    /// `-P DIR`, in order.
    let folders: [String]
    let noPlugins: Bool

    struct Loaded {
        var registry: CommandRegistry
        var searchPath: PluginSearchPath
        var warnings: [String]
    }

    func load(environment: [String: String]) -> Loaded {
        var registry = CommandRegistry()
        var warnings: [String] = []
        for command in shellCommands {
            do { try registry.register(command) } catch { preconditionFailure("shell commands clash: \(error)") }
        }
        for plugin in CurateMain.builtInPlugins {
            warnings += registry.register(plugin: plugin, kind: .builtIn).map(\.description)
        }
        let resolution = PluginDirectories.resolve(options: folders, noPlugins: noPlugins, environment: environment)
        warnings += resolution.warnings
        if !noPlugins {
            for plugin in extraPlugins {
                warnings += registry.register(plugin: plugin, kind: .swift).map(\.description)
            }
            let externals = ExternalPlugin.discover(in: resolution.searchPath) { path, reason in
                warnings.append("plugin \(path) refused: \(reason)")
            }
            for plugin in externals {
                do { try registry.register(external: plugin) } catch { warnings.append(error.description) }
            }
        }
        return Loaded(registry: registry, searchPath: resolution.searchPath, warnings: warnings)
    }
}
