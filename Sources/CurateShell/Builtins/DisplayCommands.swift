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

/// `\pset [NAME [VALUE]]`: output options, named, worded and listed as in psql 15 (`do_pset`,
/// `printPsetInfo` and `pset_value_string` in its command.c).
struct PsetCommand: SlashCommand {
    static let configuration = CommandConfiguration(
        commandName: "pset",
        abstract: "Set an output option: border, columns, csv_fieldsep, expanded, fieldsep, fieldsep_zero, footer, format, linestyle, null, numericlocale, pager, pager_min_lines, recordsep, recordsep_zero, tableattr, title, tuples_only, unicode_border_linestyle, unicode_column_linestyle, unicode_header_linestyle.",
        discussion: "Without arguments, lists every option. Without a value, a boolean option is toggled and another is shown."
    )
    static let synopsis = "[NAME [VALUE]]"

    /// The options `\pset` lists, in psql's order.
    static let names = [
        "border", "columns", "csv_fieldsep", "expanded", "fieldsep", "fieldsep_zero", "footer", "format",
        "linestyle", "null", "numericlocale", "pager", "pager_min_lines", "recordsep", "recordsep_zero",
        "tableattr", "title", "tuples_only", "unicode_border_linestyle", "unicode_column_linestyle",
        "unicode_header_linestyle",
    ]
    /// psql's formats, in its order (prefixes are matched against them).
    static let psqlFormats = ["aligned", "asciidoc", "csv", "html", "latex", "troff-ms", "unaligned", "wrapped"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        guard let option = arguments.next()?.value else {
            let settings = shell.settings
            shell.console.print(Self.names.map { name in
                let padded = name.padding(toLength: max(24, name.count), withPad: " ", startingAt: 0)
                return padded + " " + Self.value(name, settings, pager: shell.pager.mode)
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
        // psql's values are C strings: a `\0` typed in one ends it.
        let value = value.map { text in text.firstIndex(of: "\0").map { String(text[..<$0]) } ?? text }
        var changed = settings
        switch name {
        case "format":
            if let value { changed.format = try format(value) }
        case "linestyle":
            if let value {
                guard let style = match(value, OutputSettings.LineStyle.allCases) else {
                    throw ShellFailure("\\pset: allowed line styles are ascii, old-ascii, unicode")
                }
                changed.lineStyle = style
            }
        case "unicode_border_linestyle":
            if let value { changed.unicodeBorder = try unicodeLine(value, "border") }
        case "unicode_column_linestyle":
            if let value { changed.unicodeColumn = try unicodeLine(value, "column") }
        case "unicode_header_linestyle":
            if let value { changed.unicodeHeader = try unicodeLine(value, "header") }
        case "border":
            // psql keeps atoi's value in an unsigned short.
            if let value { changed.border = Int(UInt16(truncatingIfNeeded: atoi(value))) }
        case "columns":
            if let value { changed.columns = Int(atoi(value)) }
        case "pager_min_lines":
            if let value { changed.pagerMinLines = Int(atoi(value)) }
        case "numericlocale":
            changed.numericLocale = try bool(value, current: changed.numericLocale, name: name)
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
        case "tableattr", "T":
            changed.tableAttributes = value
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
        default:
            throw ShellFailure("\\pset: unknown option: \(name)")
        }
        settings = changed
        // psql says nothing when a boolean option is given a value.
        if value != nil && ["footer", "tuples_only", "t", "numericlocale"].contains(name) { return nil }
        return describe(name, changed)
    }

    /// psql's C `atoi`: leading blanks, a sign, digits; 0 when there are none.
    static func atoi(_ text: String) -> Int32 {
        var digits = Substring(text).drop(while: { $0 == " " || ("\t"..."\r").contains($0) })
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        var result: Int64 = 0
        for character in digits {
            guard let digit = character.wholeNumberValue, character.isASCII else { break }
            result = result * 10 + Int64(digit)
            if result > Int64(UInt32.max) { break }
        }
        return Int32(truncatingIfNeeded: negative ? -result : result)
    }

    /// psql's `pg_strncasecmp(choice, value, strlen(value))`: the first choice `value` begins.
    private static func match<Choice: RawRepresentable>(_ value: String, _ choices: [Choice]) -> Choice? where Choice.RawValue == String {
        let lowered = value.lowercased()
        return choices.first { $0.rawValue.hasPrefix(lowered) }
    }

    private static func unicodeLine(_ value: String, _ part: String) throws -> OutputSettings.UnicodeLine {
        guard let line = match(value, OutputSettings.UnicodeLine.allCases) else {
            throw ShellFailure("\\pset: allowed Unicode \(part) line styles are single, double")
        }
        return line
    }

    /// psql's format matching (a unique prefix, case-insensitive), and curate's json.
    private static func format(_ value: String) throws -> OutputSettings.Format {
        let lowered = value.lowercased()
        if !lowered.isEmpty, "json".hasPrefix(lowered) { return .json }
        let matches = psqlFormats.filter { $0.hasPrefix(lowered) }
        if matches.count > 1 {
            throw ShellFailure("\\pset: ambiguous abbreviation \"\(value)\" matches both \"\(matches[0])\" and \"\(matches[1])\"")
        }
        let chosen = matches.first ?? ("latex-longtable".hasPrefix(lowered) ? "latex-longtable" : nil)
        guard let chosen, let format = OutputSettings.Format(rawValue: chosen) else {
            throw ShellFailure("\\pset: allowed formats are aligned, asciidoc, csv, html, latex, latex-longtable, troff-ms, unaligned, wrapped")
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

    /// psql's `pset_quoted_string`: in single quotes, newlines as `\n`, quotes as `\'`.
    private static func quoted(_ text: String) -> String {
        var result = "'"
        for character in text.unicodeScalars {
            switch character {
            case "\n": result += "\\n"
            case "'": result += "\\'"
            default: result.unicodeScalars.append(character)
            }
        }
        return result + "'"
    }

    /// psql's `pset_value_string`: an option's value as `\pset` lists it.
    static func value(_ name: String, _ settings: OutputSettings, pager: Pager.Mode) -> String {
        switch name {
        case "border": return String(settings.border)
        case "columns": return String(settings.columns)
        case "csv_fieldsep": return quoted(String(settings.csvFieldSeparator))
        case "expanded": return settings.expanded == .auto ? "auto" : settings.expanded == .on ? "on" : "off"
        case "fieldsep": return quoted(settings.fieldSeparator == "\0" ? "" : settings.fieldSeparator)
        case "fieldsep_zero": return settings.fieldSeparator == "\0" ? "on" : "off"
        case "footer": return settings.footer ? "on" : "off"
        case "format": return settings.format.rawValue
        case "linestyle": return settings.lineStyle.rawValue
        case "null": return quoted(settings.nullDisplay)
        case "numericlocale": return settings.numericLocale ? "on" : "off"
        case "pager": return pager == .off ? "0" : pager == .on ? "1" : "2"
        case "pager_min_lines": return String(settings.pagerMinLines)
        case "recordsep": return quoted(settings.recordSeparator == "\0" ? "" : settings.recordSeparator)
        case "recordsep_zero": return settings.recordSeparator == "\0" ? "on" : "off"
        case "tableattr": return settings.tableAttributes.map(quoted) ?? ""
        case "title": return settings.title.map(quoted) ?? ""
        case "tuples_only": return settings.tuplesOnly ? "on" : "off"
        case "unicode_border_linestyle": return settings.unicodeBorder.rawValue
        case "unicode_column_linestyle": return settings.unicodeColumn.rawValue
        case "unicode_header_linestyle": return settings.unicodeHeader.rawValue
        default: return "ERROR"
        }
    }

    /// psql's confirmation wording (`printPsetInfo`).
    static func describe(_ name: String, _ settings: OutputSettings) -> String {
        switch name {
        case "border": return "Border style is \(settings.border)."
        case "columns": return settings.columns == 0 ? "Target width is unset." : "Target width is \(settings.columns)."
        case "format": return "Output format is \(settings.format.rawValue)."
        case "linestyle": return "Line style is \(settings.lineStyle.rawValue)."
        case "unicode_border_linestyle": return "Unicode border line style is \"\(settings.unicodeBorder.rawValue)\"."
        case "unicode_column_linestyle": return "Unicode column line style is \"\(settings.unicodeColumn.rawValue)\"."
        case "unicode_header_linestyle": return "Unicode header line style is \"\(settings.unicodeHeader.rawValue)\"."
        case "numericlocale": return "Locale-adjusted numeric output is \(settings.numericLocale ? "on" : "off")."
        case "pager_min_lines":
            return "Pager won't be used for less than \(settings.pagerMinLines) line\(settings.pagerMinLines == 1 ? "" : "s")."
        case "null": return "Null display is \"\(settings.nullDisplay)\"."
        case "fieldsep":
            return settings.fieldSeparator == "\0" ? "Field separator is zero byte." : "Field separator is \"\(settings.fieldSeparator)\"."
        case "fieldsep_zero": return "Field separator is zero byte."
        case "recordsep":
            switch settings.recordSeparator {
            case "\0": return "Record separator is zero byte."
            case "\n": return "Record separator is <newline>."
            default: return "Record separator is \"\(settings.recordSeparator)\"."
            }
        case "recordsep_zero": return "Record separator is zero byte."
        case "csv_fieldsep": return "Field separator for CSV is \"\(settings.csvFieldSeparator)\"."
        case "footer": return "Default footer is \(settings.footer ? "on" : "off")."
        case "tuples_only", "t": return settings.tuplesOnly ? "Tuples only is on." : "Tuples only is off."
        case "title", "C": return settings.title.map { "Title is \"\($0)\"." } ?? "Title is unset."
        case "tableattr", "T": return settings.tableAttributes.map { "Table attributes are \"\($0)\"." } ?? "Table attributes unset."
        case "expanded", "x", "vertical":
            switch settings.expanded {
            case .on: return "Expanded display is on."
            case .off: return "Expanded display is off."
            case .auto: return "Expanded display is used automatically."
            }
        default: return ""
        }
    }
}

/// `\H`: switches between html and aligned output (psql's `\H`, `\html`).
struct HTMLToggleCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "H", abstract: "Switch between HTML and aligned output.")

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try PsetCommand.set("format", to: shell.settings.format == .html ? "aligned" : "html", shell: shell)
    }
}

/// `\T [ATTRIBUTES]`: the attributes of html tables (`<table ...>`); alone, removes them.
struct TableAttributesCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "T", abstract: "Set HTML table attributes (alone: remove them).")
    static let synopsis = "[STRING]"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try PsetCommand.set("tableattr", to: arguments.next()?.value, shell: shell)
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
