import ArgumentParser
import CurateKit

/// A psql-style on/off argument.
enum Toggle: String, ExpressibleByArgument, CaseIterable {
    case on, off
}

struct TimingCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "timing", abstract: "Show how long each statement takes (on, off, or toggle).")

    @Argument var value: Toggle?

    func run(shell: Shell) throws {
        shell.timing = value.map { $0 == .on } ?? !shell.timing
        if !shell.isQuiet { shell.console.print("Timing is \(shell.timing ? "on" : "off").") }
    }
}

struct ExpandedCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "x", abstract: "Expanded display: one line per column (on, off, auto, or toggle).")

    @Argument var value: OutputSettings.Expanded?

    func run(shell: Shell) throws {
        shell.settings.expanded = value ?? (shell.settings.expanded == .off ? .on : .off)
        if !shell.isQuiet { shell.console.print(PsetCommand.describe("expanded", shell.settings)) }
    }
}

extension OutputSettings.Expanded: ExpressibleByArgument {}
extension OutputSettings.Format: ExpressibleByArgument {}

/// `\pset NAME [VALUE]`: output options, named as in psql.
struct PsetCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "pset",
        abstract: "Set an output option: format, null, fieldsep, fieldsep_zero, recordsep, recordsep_zero, csv_fieldsep, footer, tuples_only, expanded, pager.",
        discussion: "Without arguments, shows every option. A boolean option without a value is toggled."
    )

    static let names = ["format", "null", "fieldsep", "fieldsep_zero", "recordsep", "recordsep_zero", "csv_fieldsep", "footer", "tuples_only", "expanded", "pager"]

    /// psql 15's other `\pset` options, which curate does not implement: refused by name.
    static let psqlOnlyNames: Set<String> = [
        "border", "columns", "linestyle", "numericlocale", "pager_min_lines", "tableattr", "T", "title", "C",
        "unicode_border_linestyle", "unicode_column_linestyle", "unicode_header_linestyle",
    ]

    @Argument(help: "The option.") var name: String?
    @Argument(help: "Its new value.") var value: String?

    func run(shell: Shell) throws {
        guard let name else {
            shell.console.print(Self.names.filter { !$0.hasSuffix("_zero") }.map {
                $0 == "pager" ? Self.describePager(shell.pager.mode) : Self.describe($0, shell.settings)
            }.joined(separator: "\n"))
            return
        }
        var settings = shell.settings
        var pager = shell.pager.mode
        let description = try Self.apply(name, value, settings: &settings, pager: &pager)
        shell.settings = settings
        shell.pager.mode = pager
        if !shell.isQuiet { shell.console.print(description) }
    }

    /// Sets one option (`\pset NAME VALUE`, `-P NAME=VALUE`) and returns psql's confirmation.
    static func apply(_ name: String, _ value: String?, settings: inout OutputSettings, pager: inout Pager.Mode) throws -> String {
        var changed = settings
        switch name {
        case "format":
            guard let value else { break }
            let matches = OutputSettings.Format.allCases.filter { $0.rawValue.hasPrefix(value.lowercased()) }
            guard matches.count == 1 else {
                throw CommandError("allowed formats are aligned, unaligned, csv, json")
            }
            changed.format = matches[0]
        case "null":
            // As psql: without a value the setting is only shown.
            if let value { changed.nullDisplay = value }
        case "fieldsep":
            // As psql: without a value the separator is only shown.
            if let value { changed.fieldSeparator = value }
        case "fieldsep_zero":
            changed.fieldSeparator = "\0"
        case "recordsep":
            if let value { changed.recordSeparator = value }
        case "recordsep_zero":
            changed.recordSeparator = "\0"
        case "csv_fieldsep":
            guard let value, value.count == 1, let character = value.first, !"\"\n\r".contains(character) else {
                throw CommandError("csv_fieldsep must be a single one-byte character other than a quote or newline")
            }
            changed.csvFieldSeparator = character
        case "footer":
            changed.footer = try Self.bool(value, current: changed.footer)
        case "tuples_only", "t":
            changed.tuplesOnly = try Self.bool(value, current: changed.tuplesOnly)
        case "expanded", "x":
            if let value, let mode = OutputSettings.Expanded(rawValue: value.lowercased()) {
                changed.expanded = mode
            } else if let value {
                changed.expanded = try Self.bool(value, current: false) ? .on : .off
            } else {
                changed.expanded = changed.expanded == .off ? .on : .off
            }
        case "pager":
            if let value, let mode = Pager.Mode(rawValue: value.lowercased()) {
                pager = mode
            } else if let value {
                pager = try Self.bool(value, current: false) ? .on : .off
            } else {
                pager = pager == .off ? .on : .off
            }
            return Self.describePager(pager)
        case _ where psqlOnlyNames.contains(name):
            throw CommandError("option \"\(name)\" is not supported by curate", hint: "options: " + Self.names.joined(separator: ", "))
        default:
            throw CommandError("unknown option: \(name)", hint: "options: " + Self.names.joined(separator: ", "))
        }
        settings = changed
        return Self.describe(Self.canonicalName(name), changed)
    }

    private static func canonicalName(_ name: String) -> String {
        switch name {
        case "x": return "expanded"
        case "t": return "tuples_only"
        case "fieldsep_zero": return "fieldsep"
        case "recordsep_zero": return "recordsep"
        default: return name
        }
    }

    static func bool(_ value: String?, current: Bool) throws -> Bool {
        guard let value else { return !current }
        guard let parsed = Variables.parseBool(value) else {
            throw CommandError("unrecognized value \"\(value)\": expected on or off")
        }
        return parsed
    }

    static func describePager(_ mode: Pager.Mode) -> String {
        switch mode {
        case .on: return "Pager is used for long output."
        case .off: return "Pager usage is off."
        case .always: return "Pager is always used."
        }
    }

    /// psql's confirmation wording.
    static func describe(_ name: String, _ settings: OutputSettings) -> String {
        switch name {
        case "format": return "Output format is \(settings.format.rawValue)."
        case "null": return "Null display is \"\(settings.nullDisplay)\"."
        case "fieldsep":
            return settings.fieldSeparator == "\0" ? "Field separator is zero byte." : "Field separator is \"\(settings.fieldSeparator)\"."
        case "recordsep":
            switch settings.recordSeparator {
            case "\0": return "Record separator is zero byte."
            case "\n": return "Record separator is <newline>."
            default: return "Record separator is \"\(settings.recordSeparator)\"."
            }
        case "csv_fieldsep": return "Field separator for CSV is \"\(settings.csvFieldSeparator)\"."
        case "footer": return "Default footer is \(settings.footer ? "on" : "off")."
        case "tuples_only": return settings.tuplesOnly ? "Tuples only is on." : "Tuples only is off."
        case "expanded":
            switch settings.expanded {
            case .on: return "Expanded display is on."
            case .off: return "Expanded display is off."
            case .auto: return "Expanded display is used automatically."
            }
        default: return ""
        }
    }
}

/// `\refresh`: reads the catalog again for Tab completion.
struct RefreshCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "refresh", abstract: "Read table and column names again for Tab completion.")

    func run(shell: Shell) throws {
        shell.catalog.invalidate()
        guard shell.session.transactionState == .idle else {
            shell.console.print("Completion names will be read again when the transaction ends.")
            return
        }
        shell.catalog.refreshIfNeeded(session: shell.session)
        shell.console.print("Completion names read: \(shell.catalog.snapshot.tables.count) tables.")
    }
}

/// `\complete TEXT`: what Tab would offer after TEXT, and how long finding it took. Hidden from
/// `\?`; for scripts that check completion (the completion benchmark uses it).
struct CompleteCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "complete",
        abstract: "Show what Tab would offer after the given text (diagnostics).",
        shouldDisplay: false
    )

    @Argument(help: "The text before the cursor.") var text: String

    func run(shell: Shell) throws {
        let started = StatementTiming.now()
        let candidates = shell.completions(for: text)
        let elapsed = StatementTiming.now() - started
        shell.console.print(candidates.joined(separator: "\n"))
        shell.console.printError("(\(candidates.count) candidates in \(StatementTiming.fixed(elapsed, digits: 3)) ms)")
    }
}
