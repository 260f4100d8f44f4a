import ArgumentParser
import CurateKit

/// `\t [on|off]`: tuples only (no header, no footer). psql confirms only a toggle.
struct TuplesOnlyCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "t", abstract: "Show only rows: no header, no footer (on, off, or toggle).")
    static let synopsis = "[on|off]"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try PsetCommand.set("tuples_only", to: arguments.next(semicolon: true)?.value, shell: shell)
    }
}

/// `\a`: switches between aligned and unaligned output.
struct AlignToggleCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "a", abstract: "Switch between aligned and unaligned output.")

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try PsetCommand.set("format", to: shell.settings.format == .aligned ? "unaligned" : "aligned", shell: shell)
    }
}

/// `\f [SEPARATOR]`: the field separator of unaligned output; alone, shows it.
struct FieldSeparatorCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "f", abstract: "Set the field separator of unaligned output (alone: show it).")
    static let synopsis = "[STRING]"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try PsetCommand.set("fieldsep", to: arguments.next()?.value, shell: shell)
    }
}

/// `\C [TITLE]`: a title printed above each table; alone, removes it.
struct TitleCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "C", abstract: "Set a title printed above each table (alone: remove it).")
    static let synopsis = "[STRING]"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try PsetCommand.set("title", to: arguments.next()?.value, shell: shell)
    }
}
