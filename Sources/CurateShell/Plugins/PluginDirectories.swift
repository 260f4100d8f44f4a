import CurateKit
import Foundation

/// Finds the plugin folders: the installation's (`<prefix>/share/curate/plugins`), the configuration
/// folder, `CURATE_PLUGIN_PATH` (colon-separated), then each `--plugin-dir DIR`; keeps those `PluginTrust` accepts and explains every one it refuses.
struct PluginDirectories {
    /// The search path and the warnings to print (one per refused or missing folder).
    struct Resolution {
        var searchPath: PluginSearchPath
        var warnings: [String]
    }

    /// `${XDG_CONFIG_HOME:-$HOME/.config}/curate/plugins`.
    static func configurationFolder(environment: [String: String]) -> String? {
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/curate/plugins" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.config/curate/plugins"
    }

    static func resolve(options: [String], noPlugins: Bool, environment: [String: String],
                        installation: InstallationLayout? = .current) -> Resolution {
        if noPlugins { return Resolution(searchPath: .empty, warnings: []) }
        // Folders nobody asked for explicitly may be missing without a word; named ones may not.
        var candidates: [(path: String, named: Bool)] = []
        if let installation { candidates.append((installation.pluginFolder, false)) }
        if let folder = configurationFolder(environment: environment) { candidates.append((folder, false)) }
        for path in (environment["CURATE_PLUGIN_PATH"] ?? "").split(separator: ":") where !path.isEmpty {
            candidates.append((String(path), true))
        }
        candidates += options.map { ($0, true) }

        var directories: [String] = []
        var warnings: [String] = []
        for candidate in candidates {
            let path = URL(fileURLWithPath: candidate.path).standardizedFileURL.path
            guard !directories.contains(path) else { continue }
            switch PluginTrust.check(path: path, expectDirectory: true) {
            case .trusted: directories.append(path)
            case .notFound:
                if candidate.named { warnings.append("plugin folder \(candidate.path) does not exist; skipped") }
            case .refused(let reason):
                warnings.append("plugin folder \(candidate.path) refused: \(reason)")
            }
        }
        return Resolution(searchPath: PluginSearchPath(directories: directories), warnings: warnings)
    }
}
