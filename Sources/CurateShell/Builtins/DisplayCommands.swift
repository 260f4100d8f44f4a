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
        shell.console.print("Timing is \(shell.timing ? "on" : "off").")
    }
}

struct ExpandedCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "x", abstract: "Expanded display: one line per column (on, off, auto, or toggle).")

    @Argument var value: OutputSettings.Expanded?

    func run(shell: Shell) throws {
        shell.settings.expanded = value ?? (shell.settings.expanded == .off ? .on : .off)
        shell.console.print(PsetCommand.describe("expanded", shell.settings))
    }
}

extension OutputSettings.Expanded: ExpressibleByArgument {}
extension OutputSettings.Format: ExpressibleByArgument {}

/// `\pset NAME [VALUE]`: output options, named as in psql.
struct PsetCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "pset",
        abstract: "Set an output option: format, null, fieldsep, csv_fieldsep, footer, tuples_only, expanded, pager, title.",
        discussion: "Without arguments, shows every option. A boolean option without a value is toggled."
    )

    static let names = ["format", "null", "fieldsep", "csv_fieldsep", "footer", "tuples_only", "expanded", "pager", "title"]

    @Argument(help: "The option.") var name: String?
    @Argument(help: "Its new value.") var value: String?

    func run(shell: Shell) throws {
        guard let name else {
            shell.console.print(Self.names.map {
                $0 == "pager" ? Self.describePager(shell.pager.mode) : Self.describe($0, shell.settings)
            }.joined(separator: "\n"))
            return
        }
        var settings = shell.settings
        switch name {
        case "format":
            guard let value else { break }
            let matches = OutputSettings.Format.allCases.filter { $0.rawValue.hasPrefix(value.lowercased()) }
            guard matches.count == 1 else {
                throw CommandError("allowed formats are aligned, unaligned, csv, json")
            }
            settings.format = matches[0]
        case "null":
            settings.nullDisplay = value ?? ""
        case "fieldsep":
            settings.fieldSeparator = value ?? "|"
        case "csv_fieldsep":
            guard let value, value.count == 1, let character = value.first, !"\"\n\r".contains(character) else {
                throw CommandError("csv_fieldsep must be a single one-byte character other than a quote or newline")
            }
            settings.csvFieldSeparator = character
        case "footer":
            settings.footer = try Self.bool(value, current: settings.footer, name: name)
        case "tuples_only", "t":
            settings.tuplesOnly = try Self.bool(value, current: settings.tuplesOnly, name: "tuples_only")
        case "title", "C":
            settings.title = value
        case "expanded", "x":
            if let value, let mode = OutputSettings.Expanded(rawValue: value.lowercased()) {
                settings.expanded = mode
            } else if let value {
                settings.expanded = try Self.bool(value, current: false) ? .on : .off
            } else {
                settings.expanded = settings.expanded == .off ? .on : .off
            }
        case "pager":
            if let value, let mode = Pager.Mode(rawValue: value.lowercased()) {
                shell.pager.mode = mode
            } else if let value {
                shell.pager.mode = try Self.bool(value, current: false) ? .on : .off
            } else {
                shell.pager.mode = shell.pager.mode == .off ? .on : .off
            }
            shell.console.print(Self.describePager(shell.pager.mode))
            return
        default:
            throw CommandError("unknown option \"\(name)\"", hint: "options: " + Self.names.joined(separator: ", "))
        }
        shell.settings = settings
        // psql says nothing when footer or tuples_only is given a value.
        if value != nil && ["footer", "tuples_only", "t"].contains(name) { return }
        shell.console.print(Self.describe(["x": "expanded", "t": "tuples_only", "C": "title"][name] ?? name, settings))
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
        case "fieldsep": return "Field separator is \"\(settings.fieldSeparator)\"."
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
