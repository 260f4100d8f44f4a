import ArgumentParser
import CurateKit

/// `\if`, `\elif`, `\else` and `\endif`, registered for `\?` and completion. The shell runs them
/// itself as it reads the input (`Shell+Conditionals`), since they decide what is read next.
protocol BranchingCommand: BuiltinCommand {}

extension BranchingCommand {
    func run(shell: Shell) throws {
        throw CommandError("\\\(Self.configuration.commandName ?? "") is read by the shell as it reads the input")
    }
}

struct IfCommand: BranchingCommand {
    static let configuration = CommandConfiguration(commandName: "if", abstract: "Begin a conditional block: the lines up to \\elif, \\else or \\endif run when EXPR is true.")
    @Argument(parsing: .allUnrecognized, help: "A boolean: true/false, on/off, yes/no, 1/0 (after :variables are interpolated).") var expression: [String] = []
}

struct ElifCommand: BranchingCommand {
    static let configuration = CommandConfiguration(commandName: "elif", abstract: "Another branch of the current conditional block, taken when EXPR is true and no branch was.")
    @Argument(parsing: .allUnrecognized, help: "A boolean, as for \\if.") var expression: [String] = []
}

struct ElseCommand: BranchingCommand {
    static let configuration = CommandConfiguration(commandName: "else", abstract: "The last branch of the current conditional block, taken when no other was.")
}

struct EndifCommand: BranchingCommand {
    static let configuration = CommandConfiguration(commandName: "endif", abstract: "End the current conditional block.")
}
