import ArgumentParser
import CurateKit

struct QuitCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "q", abstract: "Quit curate.")

    func run(shell: Shell) throws {
        shell.quitRequested = true
    }
}
