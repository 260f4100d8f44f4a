import Foundation
@testable import CurateShell
import Testing

/// The man page's own sections (`curate --help=manual`) say what the sources do.
@Suite("Manual sections")
struct ManualSectionsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every environment variable the sources read (`environment["NAME"]`, `getenv("NAME")`).
    static func environmentVariablesRead() throws -> Set<String> {
        var names = Set<String>()
        for folder in ["Sources", "Plugins"] {
            let base = root.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: base.appendingPathComponent(file), encoding: .utf8)
                for match in text.matches(of: /(?:environment|env)\[ *"([A-Za-z_][A-Za-z0-9_]*)"|getenv\("([A-Za-z_][A-Za-z0-9_]*)"\)/) {
                    if let name = match.output.1 ?? match.output.2 { names.insert(String(name)) }
                }
            }
        }
        return names
    }

    @Test("every environment variable curate reads is in the man page's ENVIRONMENT")
    func environmentComplete() throws {
        let read = try Self.environmentVariablesRead()
        #expect(read.contains("CURATE_PLUGIN_PATH") && read.contains("HOME"), "the scan found \(read.sorted())")
        let listed = Set(ManualSections.environment.flatMap(\.names))
        #expect(read.subtracting(listed).isEmpty, "not in ManualSections.environment: \(read.subtracting(listed).sorted())")
    }

    @Test("the exit statuses are --help's, and the sections list every command \\? lists")
    func sections() throws {
        #expect(CurateOptions.configuration.discussion.hasSuffix(ManualSections.exitStatusSentence))
        let loaded = PluginLoader(shellCommands: [], extraPlugins: [], folders: [], noPlugins: true).load(environment: [:])
        let mdoc = ManualSections.mdoc(registry: loaded.registry)
        for command in ListCommandsCommand.listedCommands(registry: loaded.registry) {
            #expect(mdoc.contains(".It Sy " + ManualSections.text("\\" + command.name) + "\n"), "\\\(command.name)")
        }
        for section in [".Sh BACKSLASH COMMANDS", ".Sh ENVIRONMENT", ".Sh FILES", ".Sh EXIT STATUS"] {
            #expect(mdoc.contains(section + "\n"))
        }
        #expect(!mdoc.split(separator: "\n").contains { $0.hasPrefix("'") }, "no line may start with a control character")
    }

    @Test("mdoc text: a backslash is \\e, a leading dot is guarded")
    func escaping() {
        #expect(ManualSections.text("\\check") == "\\echeck")
        #expect(ManualSections.text(".curaterc") == "\\&.curaterc")
    }
}
