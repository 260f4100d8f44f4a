import ArgumentParser
import Foundation

/// `curate --experimental-dump-help`: argument-parser's description of the options (what
/// generate-manual makes the man page from), without the `help` subcommand the parser adds to
/// every dump. curate has no subcommands: `curate help` connects to a database named help.
enum ToolInfoDump {
    static func text() -> String {
        let dump: String
        do {
            _ = try CurateOptions.parse(["--experimental-dump-help"])
            return ""
        } catch {
            dump = CurateOptions.fullMessage(for: error)
        }
        guard var object = (try? JSONSerialization.jsonObject(with: Data(dump.utf8))) as? [String: Any],
              var command = object["command"] as? [String: Any] else { return dump }
        let subcommands = (command["subcommands"] as? [[String: Any]] ?? []).filter { $0["commandName"] as? String != "help" }
        if subcommands.isEmpty { command.removeValue(forKey: "subcommands") } else { command["subcommands"] = subcommands }
        object["command"] = command
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else { return dump }
        return String(decoding: data, as: UTF8.self)
    }
}
