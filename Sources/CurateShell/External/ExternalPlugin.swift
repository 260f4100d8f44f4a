import CurateKit
import Foundation
import Synchronization

/// A `curate-NAME` executable in a plugin folder: the command `\NAME`, run as a child process that
/// speaks the JSON-lines protocol (docs/plugins.md, "External plugins") and uses the shared session through
/// curate. Nothing is started at startup: the plugin runs when it is invoked, and in describe
/// mode when `\plugins` or `\NAME --help` needs its version and summary.
final class ExternalPlugin: Sendable {
    /// The command name (`NAME` of `curate-NAME`).
    let name: String
    /// The executable's full path.
    let path: String
    /// The last description, with the file's modification time and size it was read for.
    /// Behind a lock: `\plugins` and completion may ask from different threads.
    private let cached = Mutex<(stamp: [Int], description: Description)?>(nil)

    init(name: String, path: String) {
        self.name = name
        self.path = path
    }

    /// Every `curate-NAME` executable in the search path (the first of a name wins; later ones are
    /// reported through `refused`), leaving out files `PluginTrust` refuses.
    static func discover(in searchPath: PluginSearchPath, refused: (String, String) -> Void) -> [ExternalPlugin] {
        var plugins: [ExternalPlugin] = []
        for path in searchPath.files(startingWith: "curate-", refused: refused) {
            let file = String(path.split(separator: "/").last ?? "")
            // A pack file named curate-NAME.pack.sql is the pack loader's.
            guard file.hasPrefix("curate-"), !file.hasSuffix(".pack.sql") else { continue }
            let name = String(file.dropFirst("curate-".count))
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                // Said out loud: a plugin that silently never appears is the hardest mistake to find.
                let suggestion = name.split(separator: ".").first.map { " (rename it curate-\($0))" } ?? ""
                refused(path, "\"\(name)\" is not a command name: after curate- only letters, digits, - and _ may follow, no dot\(suggestion)")
                continue
            }
            guard access(path, X_OK) == 0 else {
                refused(path, "it is not executable; run: chmod u+x \(path)")
                continue
            }
            if let first = plugins.first(where: { $0.name == name }) {
                refused(path, "\\\(name) is already provided by \(first.path)")
                continue
            }
            plugins.append(ExternalPlugin(name: name, path: path))
        }
        return plugins
    }

    // MARK: Environment and timeout

    /// The child's environment: curate's without the password variables, plus the protocol
    /// version, the command's name and the mode (`invoke` or `describe`), so that a plugin can
    /// declare in its hello the capabilities of this invocation (its arguments are its argv).
    func environment(describing: Bool) -> [String: String] {
        PluginProcess.scrubbedEnvironment(extra: [
            "CURATE_PLUGIN_PROTOCOL": String(PluginProtocol.version),
            "CURATE_PLUGIN_NAME": name,
            "CURATE_PLUGIN_MODE": describing ? "describe" : "invoke",
        ])
    }

    static let defaultTimeout = 30.0

    /// Seconds a plugin may stay silent: `\set PLUGIN_TIMEOUT`, else `CURATE_PLUGIN_TIMEOUT`, else
    /// 30. Zero or less: no limit.
    static func timeout(variables: Variables?) -> Double? {
        let text = variables?["PLUGIN_TIMEOUT"] ?? ProcessInfo.processInfo.environment["CURATE_PLUGIN_TIMEOUT"]
        guard let text, let seconds = Double(text.trimmingCharacters(in: .whitespaces)) else { return defaultTimeout }
        return seconds > 0 ? seconds : nil
    }

    // MARK: Running

    /// Runs one invocation with the arguments as typed. `--help` (or `-h`) as the first argument
    /// shows the plugin's own description instead.
    func run(arguments: [String], context: CommandContext) throws {
        if let first = arguments.first, first == "--help" || first == "-h" {
            context.console.print(helpText(timeout: Self.timeout(variables: context.variables)))
            return
        }
        let timeout = Self.timeout(variables: context.variables) ?? .infinity
        try PluginRun(plugin: self, context: context, timeout: timeout).run(arguments: arguments)
    }

    // MARK: Describing

    /// What the plugin says about itself in its `hello`, or why it could not be asked.
    struct Description: Sendable {
        var version = "?"
        /// The hello named a version (`?` is shown otherwise).
        var hasVersion = false
        var summary: String?
        var usage: String?
        var help: String?
        var capabilities: CommandCapabilities = []
        var problem: String?
    }

    /// What `\plugins` lists: the version comes from describe mode (read once per change of the file).
    var description: PluginDescription {
        let described = describe(timeout: min(Self.timeout(variables: nil) ?? 5, 5))
        return PluginDescription(name: name, kind: .external, origin: path,
                                 version: described.problem == nil ? described.version : "?", provides: ["\\" + name])
    }

    /// Why `\plugins` shows version `?` for this plugin, or nil when it shows a version.
    var unknownVersionNote: String? {
        let described = describe(timeout: min(Self.timeout(variables: nil) ?? 5, 5))
        if let problem = described.problem {
            return "Version ? of \\\(name): it could not describe itself: \(problem)"
                + " (try it by hand: CURATE_PLUGIN_MODE=describe \(path) </dev/null)"
        }
        if !described.hasVersion {
            return "Version ? of \\\(name): its hello gives no \"version\" (add \"version\": \"1.0.0\" to it)"
        }
        return nil
    }

    /// `\NAME --help`.
    func helpText(timeout: Double?) -> String {
        let described = describe(timeout: timeout ?? .infinity)
        if let problem = described.problem {
            return "\\\(name): external plugin \(path)\nIt could not describe itself: \(problem)"
        }
        var lines = ["\\\(name)" + (described.summary.map { " — " + $0 } ?? "")]
        if let usage = described.usage { lines += ["", "usage: " + usage] }
        if let help = described.help { lines += ["", help] }
        lines.append("")
        let capabilities = described.capabilities.names
        lines.append("capabilities: " + (capabilities.isEmpty ? "none (reads only)" : capabilities.joined(separator: ", ")))
        lines.append("external plugin \(path), version \(described.version), protocol \(PluginProtocol.version)")
        return lines.joined(separator: "\n")
    }

    /// Starts the plugin in describe mode: it sends its `hello`, curate answers `describe`, and it
    /// exits without doing anything.
    func describe(timeout: Double) -> Description {
        var info = stat()
        let stamp = stat(path, &info) == 0 ? [Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec), Int(info.st_size)] : []
        if let known = cached.withLock({ $0 }), known.stamp == stamp { return known.description }
        var description = Description()
        do {
            let process = try PluginProcess(path: path, environment: environment(describing: true))
            defer { process.stop(grace: 1) }
            let line = try process.readLine(timeout: timeout, cancelled: { false })
            guard case .hello(let hello) = try PluginProtocol.parse(line, lineNumber: 1) else {
                throw PluginProtocol.Violation(reason: "its first line is not a hello")
            }
            description.version = hello.version
            description.hasVersion = hello.version != "?"
            description.summary = hello.summary
            description.usage = hello.usage
            description.help = hello.help
            description.capabilities = hello.capabilities
            if hello.protocolVersion != PluginProtocol.version {
                description.problem = "it speaks protocol version \(hello.protocolVersion); this curate speaks \(PluginProtocol.version)"
            } else {
                try? process.write(PluginProtocol.describe(), timeout: 1, cancelled: { false })
                process.closeInput()
                _ = process.waitForExit(timeout: 1)
            }
        } catch let error as PluginProtocol.Violation {
            description.problem = "it broke the protocol: " + error.reason
        } catch let error as PluginProcess.Interruption {
            switch error {
            case .timedOut: description.problem = "it sent no hello within \(PluginRun.seconds(timeout))"
            case .closed: description.problem = "it ended without sending a hello"
            case .cancelled: description.problem = "cancelled"
            case .lineTooLong: description.problem = "its hello is too long"
            }
        } catch let error as CommandError {
            description.problem = error.message
        } catch {
            description.problem = "\(error)"
        }
        cached.withLock { $0 = (stamp, description) }
        return description
    }
}
