import CurateKit

/// A command of the shell itself: it reads or changes the shell's own state (settings, input,
/// variables), which plugins cannot. Registered in the same registry as plugin commands.
protocol BuiltinCommand: ParsableCommand {
    mutating func run(shell: Shell) throws
}
