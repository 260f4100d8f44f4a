import CurateKit

/// `\t [on|off]`: tuples only (no header, no footer). psql confirms only a toggle.
struct TuplesOnlyCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "t", abstract: "Show only rows: no header, no footer (on, off, or toggle).")

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let value = arguments.next(semicolon: true)?.value
        shell.settings.tuplesOnly = try PsetCommand.bool(value, current: shell.settings.tuplesOnly, name: "tuples_only")
        if value == nil { shell.console.print(PsetCommand.describe("tuples_only", shell.settings)) }
    }
}

/// `\a`: switches between aligned and unaligned output.
struct AlignToggleCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "a", abstract: "Switch between aligned and unaligned output.")

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        shell.settings.format = shell.settings.format == .aligned ? .unaligned : .aligned
        shell.console.print(PsetCommand.describe("format", shell.settings))
    }
}

/// `\f [SEPARATOR]`: the field separator of unaligned output; alone, shows it.
struct FieldSeparatorCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "f", abstract: "Set the field separator of unaligned output (alone: show it).")

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        if let separator = arguments.next() { shell.settings.fieldSeparator = separator.value }
        shell.console.print(PsetCommand.describe("fieldsep", shell.settings))
    }
}

/// `\C [TITLE]`: a title printed above each table; alone, removes it.
struct TitleCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "C", abstract: "Set a title printed above each table (alone: remove it).")

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        shell.settings.title = arguments.next()?.value
        shell.console.print(PsetCommand.describe("title", shell.settings))
    }
}
