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
    @Test("two plugins claiming one command name stop startup (status 1) before any connection")
    func duplicateCommandStopsStartup() {
        // No server is needed: registration happens before connecting.
        let status = CurateMain.run(arguments: ["-X", "-h", "/nonexistent", "-c", "select 1"], plugins: [GreetingPlugin(name: "a"), GreetingPlugin(name: "b")])
        #expect(status == 1)
    }

    @Test("a plugin cannot shadow a built-in command")
    func cannotShadowBuiltin() {
        let status = CurateMain.run(arguments: ["-X", "-h", "/nonexistent", "-c", "select 1"], plugins: [ShadowingPlugin()])
        #expect(status == 1)
    }

    @Test("without conflicts startup goes on to connect (and fails there, with status 2)")
    func noConflictReachesConnection() {
        let status = CurateMain.run(arguments: ["-X", "-h", "/nonexistent", "-c", "select 1"], plugins: [GreetingPlugin(name: "a")])
        #expect(status == 2)
    }

    @Test("options: a bad combination is refused with status 1")
    func badOptions() {
        #expect(CurateMain.run(arguments: ["--csv", "--json", "-c", "select 1"]) == 1)
    }
}
