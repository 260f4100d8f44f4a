import ArgumentParser
import CurateKit
import Testing
@testable import CurateShell

private struct Hello: CurateCommand {
    static let configuration = CommandConfiguration(commandName: "hello", abstract: "Say hello.")
    @Argument var name: String
    func run(context: CommandContext) throws {}
}

private struct OtherHello: CurateCommand {
    static let configuration = CommandConfiguration(commandName: "hello", abstract: "Another hello.")
    func run(context: CommandContext) throws {}
}

private struct FirstPlugin: CuratePlugin {
    var name: String { "first" }
    var version: String { "1.0" }
    var commands: [any CurateCommand.Type] { [Hello.self] }
}

private struct SecondPlugin: CuratePlugin {
    var name: String { "second" }
    var version: String { "2.0" }
    var commands: [any CurateCommand.Type] { [OtherHello.self] }
}

private struct SQLHandler: StatementHandler {
    func execute(_ statement: String, context: CommandContext) throws {}
}

private struct HandlerPlugin: CuratePlugin {
    let name: String
    var version: String { "1.0" }
    var commands: [any CurateCommand.Type] { [] }
    var statementHandler: (any StatementHandler)? { SQLHandler() }
}

@Suite("Command registry")
struct CommandRegistryTests {
    @Test("a plugin's commands are registered under their names with their summaries")
    func registersPluginCommands() throws {
        var registry = CommandRegistry()
        #expect(registry.register(plugin: FirstPlugin(), kind: .swift).isEmpty)
        let command = try #require(registry.command(named: "hello"))
        #expect(command.summary == "Say hello.")
        #expect(command.origin == "Swift plugin first")
        #expect(command.helpText.contains("USAGE: \\hello <name>"))
    }

    @Test("two plugins claiming one name: the later one is refused, naming both, and the first keeps it")
    func conflictNamesBoth() throws {
        var registry = CommandRegistry()
        registry.register(plugin: FirstPlugin(), kind: .builtIn)
        let conflicts = registry.register(plugin: SecondPlugin(), kind: .swift)
        #expect(conflicts.count == 1)
        let text = "\(try #require(conflicts.first))"
        #expect(text.contains("\\hello") && text.contains("built-in plugin first") && text.contains("Swift plugin second"))
        #expect(registry.command(named: "hello")?.summary == "Say hello.")
        // Both plugins are listed; only the first provides \hello.
        let listed = registry.pluginDescriptions
        #expect(listed.map(\.name) == ["first", "second"])
        #expect(listed[0].provides == ["\\hello"] && listed[1].provides.isEmpty)
    }

    @Test("a plugin cannot take a shell command's name")
    func conflictWithShellCommand() throws {
        var registry = CommandRegistry()
        for command in [RegisteredCommand(name: "hello", summary: "shell's", origin: "the shell", kind: .shell(QuitCommand.self))] {
            try registry.register(command)
        }
        #expect(registry.register(plugin: FirstPlugin()).count == 1)
        #expect(registry.command(named: "hello")?.origin == "the shell")
    }

    @Test("only one plugin may handle SQL statements")
    func oneStatementHandler() throws {
        var registry = CommandRegistry()
        #expect(registry.register(plugin: HandlerPlugin(name: "a")).isEmpty)
        #expect(registry.register(plugin: HandlerPlugin(name: "b")).map(\.name) == ["(SQL statements)"])
    }

    @Test("a mistyped name suggests the closest registered ones")
    func suggestions() throws {
        var registry = CommandRegistry()
        for name in ["timing", "echo", "conninfo", "dt", "d"] {
            try registry.register(RegisteredCommand(name: name, summary: "", origin: "test", kind: .shell(QuitCommand.self)))
        }
        #expect(registry.suggestions(for: "timng").first == "timing")
        #expect(registry.suggestions(for: "conifo").first == "conninfo")
        #expect(registry.suggestions(for: "ech").first == "echo")
        #expect(registry.suggestions(for: "zzzzzzzz").isEmpty)
    }

    @Test("edit distance")
    func editDistance() {
        #expect(EditDistance.between("kitten", "sitting") == 3)
        #expect(EditDistance.between("", "abc") == 3)
        #expect(EditDistance.between("same", "same") == 0)
    }
}
