import ArgumentParser
import CurateKit
import Testing
@testable import CurateShell

private struct Greet: CurateCommand {
    static let configuration = CommandConfiguration(commandName: "greet", abstract: "Greet.")
    func run(context: CommandContext) throws {}
}

private struct GreetingPlugin: CuratePlugin {
    let name: String
    var version: String { "1.0" }
    var commands: [any CurateCommand.Type] { [Greet.self] }
}

private struct ShadowingPlugin: CuratePlugin {
    var name: String { "shadow" }
    var version: String { "1.0" }
    var commands: [any CurateCommand.Type] { [Shadow.self] }

    struct Shadow: CurateCommand {
        static let configuration = CommandConfiguration(commandName: "conninfo", abstract: "Pretends to be \\conninfo.")
        func run(context: CommandContext) throws {}
    }
}

@Suite("Startup")
struct StartupTests {
    private func load(_ plugins: [any CuratePlugin], noPlugins: Bool = false) -> PluginLoader.Loaded {
        PluginLoader(shellCommands: [], extraPlugins: plugins, folders: [], noPlugins: noPlugins).load(environment: [:])
    }

    @Test("two Swift plugins claiming one command name: the later is refused with a warning naming both")
    func duplicateCommandIsRefused() {
        let loaded = load([GreetingPlugin(name: "a"), GreetingPlugin(name: "b")])
        #expect(loaded.warnings == ["\\greet of Swift plugin b refused: the name is already taken by Swift plugin a; rename or remove one of them"])
        #expect(loaded.registry.command(named: "greet")?.origin == "Swift plugin a")
    }

    @Test("a plugin cannot shadow a built-in command: the built-in keeps its name")
    func cannotShadowBuiltin() {
        let loaded = load([ShadowingPlugin()])
        #expect(loaded.warnings.count == 1)
        #expect(loaded.warnings.first?.contains("built-in plugin sql") == true)
        #expect(loaded.registry.command(named: "conninfo")?.origin == "built-in plugin sql")
    }

    @Test("--no-plugins: a package's own Swift plugins are not registered either")
    func noPluginsLeavesBuiltInsOnly() {
        let loaded = load([GreetingPlugin(name: "a")], noPlugins: true)
        #expect(loaded.registry.command(named: "greet") == nil)
        #expect(loaded.registry.command(named: "check") != nil)
        #expect(loaded.registry.pluginDescriptions.allSatisfy { $0.kind == .builtIn })
    }

    @Test("without conflicts startup goes on to connect (and fails there, with status 2)")
    func noConflictReachesConnection() {
        let status = CurateMain.run(arguments: ["-X", "-h", "/nonexistent", "-c", "select 1"], plugins: [GreetingPlugin(name: "a")])
        #expect(status == 2)
    }

    @Test("options: a psql option curate does not implement is refused with status 1")
    func badOptions() {
        #expect(CurateMain.run(arguments: ["-L", "/nonexistent/log", "-c", "select 1"]) == 1)
        #expect(CurateMain.run(arguments: ["-P", "nosuchoption=2", "-c", "select 1"]) == 1)
    }
}
