import ArgumentParser
import CurateKit

struct QuitCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "q", abstract: "Quit curate.")

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        shell.quitRequested = true
    }
}
