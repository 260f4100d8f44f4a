import CurateKit
import Foundation

/// A `curate-NAME` executable in a plugin folder: the command `\NAME`, run as a child process that
/// speaks the JSON-lines protocol (docs/plugins.md) and uses the shared session through curate.
final class ExternalPlugin: @unchecked Sendable {
    /// The command name (`NAME` of `curate-NAME`).
    let name: String
    /// The executable's full path.
    let path: String

    init(name: String, path: String) {
        self.name = name
        self.path = path
    }

    /// Every `curate-NAME` executable in the search path (the first of a name wins; later ones are
    /// reported through `refused`), leaving out files `PluginTrust` refuses.
    static func discover(in searchPath: PluginSearchPath, refused: (String, String) -> Void) -> [ExternalPlugin] {
        var plugins: [ExternalPlugin] = []
        for path in searchPath.files(endingIn: "", refused: refused) {
            let file = String(path.split(separator: "/").last ?? "")
            guard file.hasPrefix("curate-"), access(path, X_OK) == 0 else { continue }
            let name = String(file.dropFirst("curate-".count))
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { continue }
            if let first = plugins.first(where: { $0.name == name }) {
                refused(path, "\\\(name) is already provided by \(first.path)")
                continue
            }
            plugins.append(ExternalPlugin(name: name, path: path))
        }
        return plugins
    }

    /// What `\plugins` lists.
    var description: PluginDescription {
        PluginDescription(name: name, kind: .external, origin: path, version: "?", provides: ["\\" + name])
    }

    /// Runs one invocation with the arguments as typed.
    func run(arguments: [String], context: CommandContext) throws {
        throw CommandError("external plugins are not available yet")
    }
}
