import ArgumentParser
import CurateKit

/// A command of the shell itself: it reads or changes the shell's own state (settings, input,
/// variables), which plugins cannot. Registered in the same registry as plugin commands.
protocol BuiltinCommand: ParsableCommand {
    /// psql's whole-line commands (`\copy`): the rest of the line is one argument, as written,
    /// without quoting rules or variables.
    static var takesWholeLine: Bool { get }
    /// Commands that read their arguments as psql reads them (`SlashOptionScanner`): they get
    /// their argument text as typed, up to the next command on the line.
    static var readsRawArguments: Bool { get }
    /// Letters psql lets follow the name to modify the command (`\dt` as `\dtS+`, `\df` as
    /// `\dfa`): the command is found under its name with them, and reads them from the name it
    /// was typed as.
    static var nameModifiers: Set<Character> { get }
    mutating func run(shell: Shell) throws
}

extension BuiltinCommand {
    static var takesWholeLine: Bool { false }
    static var readsRawArguments: Bool { false }
    static var nameModifiers: Set<Character> { [] }
}

/// A failure of a shell command, reported as psql reports its own (`error: MESSAGE`, with no
/// command name before it unless the message has one).
struct ShellFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
