import ArgumentParser
import CurateKit

/// `\timing [on|off]`: shows how long each statement takes; confirmed even after a bad value, as psql.
struct TimingCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "timing", abstract: "Show how long each statement takes (on, off, or toggle).")
    static let synopsis = "[on|off]"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        var failed = false
        if let value = arguments.next()?.value {
            if let parsed = Variables.parseBool(value) {
                shell.timing = parsed
            } else {
                shell.reportSlashMessage("unrecognized value \"\(value)\" for \"\\timing\": Boolean expected")
                failed = true
            }
        } else {
            shell.timing.toggle()
        }
        if !shell.variables.bool("QUIET", default: false) {
            shell.console.print("Timing is \(shell.timing ? "on" : "off").")
        }
        if failed { throw ReportedFailure() }
    }
}

/// `\x [on|off|auto]`: expanded display (one line per column).
struct ExpandedCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "x", abstract: "Expanded display: one line per column (on, off, auto, or toggle).")
    static let synopsis = "[on|off|auto]"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try PsetCommand.set("expanded", to: arguments.next(semicolon: true)?.value, shell: shell)
    }
}

/// `\pset [NAME [VALUE]]`: output options, named and worded as in psql. psql's options that only
/// apply to output curate does not have (borders, line styles, HTML, ...) are refused.
struct PsetCommand: SlashCommand {
    static let configuration = CommandConfiguration(
        commandName: "pset",
        abstract: "Set an output option: format, null, fieldsep, fieldsep_zero, recordsep, recordsep_zero, csv_fieldsep, footer, tuples_only, expanded, pager, title.",
        discussion: "Without arguments, shows every option. A boolean option without a value is toggled."
    )
    static let synopsis = "[NAME [VALUE]]"

    static let names = [
        "format", "null", "fieldsep", "fieldsep_zero", "recordsep", "recordsep_zero", "csv_fieldsep", "footer",
        "tuples_only", "expanded", "pager", "title",
    ]
    /// psql 15's options curate does not implement.
    static let notImplemented: Set<String> = [
        "border", "columns", "linestyle", "numericlocale", "pager_min_lines",
        "tableattr", "T", "unicode_border_linestyle", "unicode_column_linestyle", "unicode_header_linestyle",
    ]
    /// psql's formats, in its order (prefixes are matched against them); curate has only some.
    static let psqlFormats = ["aligned", "asciidoc", "csv", "html", "latex", "troff-ms", "unaligned", "wrapped"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        guard let option = arguments.next()?.value else {
            shell.console.print(Self.names.filter { !$0.hasSuffix("_zero") }.map {
                $0 == "pager" ? Self.describePager(shell.pager.mode) : Self.describe($0, shell.settings)
            }.joined(separator: "\n"))
            return
        }
        try set(option, to: arguments.next()?.value, shell: shell)
    }

    /// psql's `do_pset` on the shell: sets `name` (toggles or shows it without a value) and
    /// confirms, unless `quiet` (QUIET by default; `\g (name=value)` is always quiet).
    static func set(_ name: String, to value: String?, shell: Shell, quiet: Bool? = nil) throws {
        var settings = shell.settings
        var pager = shell.pager.mode
        let confirmation = try apply(name, value, settings: &settings, pager: &pager)
        shell.settings = settings
        shell.pager.mode = pager
        if let confirmation, !(quiet ?? shell.isQuiet) { shell.console.print(confirmation) }
    }

    /// Sets one option (`\pset NAME VALUE`, `-P NAME=VALUE`) and returns psql's confirmation
    /// (nil where psql says nothing).
    static func apply(_ name: String, _ value: String?, settings: inout OutputSettings, pager: inout Pager.Mode) throws -> String? {
        var changed = settings
        switch name {
        case "format":
            if let value { changed.format = try format(value) }
        case "null":
            if let value { changed.nullDisplay = value }
        case "fieldsep":
            if let value { changed.fieldSeparator = value }
        case "fieldsep_zero":
            changed.fieldSeparator = "\0"
        case "recordsep":
            if let value { changed.recordSeparator = value }
        case "recordsep_zero":
            changed.recordSeparator = "\0"
        case "csv_fieldsep":
            if let value {
                guard value.utf8.count == 1, let character = value.first else {
                    throw ShellFailure("\\pset: csv_fieldsep must be a single one-byte character")
                }
                guard !"\"\n\r".contains(character) else {
                    throw ShellFailure("\\pset: csv_fieldsep cannot be a double quote, a newline, or a carriage return")
                }
                changed.csvFieldSeparator = character
            }
        case "footer":
            changed.footer = try bool(value, current: changed.footer, name: name)
        case "tuples_only", "t":
            changed.tuplesOnly = try bool(value, current: changed.tuplesOnly, name: name)
        case "title", "C":
            changed.title = value
        case "expanded", "x", "vertical":
            if let value, value.lowercased() == "auto" {
                changed.expanded = .auto
            } else if let value {
                guard let on = Variables.parseBool(value) else {
                    throw ShellFailure("unrecognized value \"\(value)\" for \"\(name)\"\nAvailable values are: on, off, auto.")
                }
                changed.expanded = on ? .on : .off
            } else {
                changed.expanded = changed.expanded == .off ? .on : .off
            }
        case "pager":
            if let value, value.lowercased() == "always" {
                pager = .always
            } else if let value {
                guard let on = Variables.parseBool(value) else {
                    throw ShellFailure("unrecognized value \"\(value)\" for \"\(name)\"\nAvailable values are: on, off, always.")
                }
                pager = on ? .on : .off
            } else {
                pager = pager == .on ? .off : .on
            }
            return describePager(pager)
        case _ where notImplemented.contains(name):
            throw ShellFailure("\\pset: \(name) is not implemented in curate")
        default:
            throw ShellFailure("\\pset: unknown option: \(name)")
        }
        settings = changed
        // psql says nothing when footer or tuples_only is given a value.
        if value != nil && ["footer", "tuples_only", "t"].contains(name) { return nil }
        let shown = ["x": "expanded", "vertical": "expanded", "t": "tuples_only", "C": "title", "fieldsep_zero": "fieldsep", "recordsep_zero": "recordsep"][name] ?? name
        return describe(shown, changed)
    }

    /// psql's format matching (a unique prefix, case-insensitive), and curate's json.
    private static func format(_ value: String) throws -> OutputSettings.Format {
        let lowered = value.lowercased()
        if !lowered.isEmpty, "json".hasPrefix(lowered) { return .json }
        let matches = psqlFormats.filter { $0.hasPrefix(lowered) }
        if matches.count > 1 {
            throw ShellFailure("\\pset: ambiguous abbreviation \"\(value)\" matches both \"\(matches[0])\" and \"\(matches[1])\"")
        }
        let chosen = matches.first ?? (lowered == "latex-longtable" ? lowered : nil)
        guard let chosen else {
            throw ShellFailure("\\pset: allowed formats are aligned, asciidoc, csv, html, latex, latex-longtable, troff-ms, unaligned, wrapped")
        }
        guard let format = OutputSettings.Format(rawValue: chosen) else {
            throw ShellFailure("\\pset: format \(chosen) is not implemented in curate")
        }
        return format
    }

    static func bool(_ value: String?, current: Bool, name: String = "") throws -> Bool {
        guard let value else { return !current }
        guard let parsed = Variables.parseBool(value) else {
            throw ShellFailure("unrecognized value \"\(value)\" for \"\(name)\": Boolean expected")
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
        case "title": return settings.title.map { "Title is \"\($0)\"." } ?? "Title is unset."
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
