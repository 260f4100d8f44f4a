import ArgumentParser
import CurateChecks
import CurateKit

/// The `check` plugin: `\check`.
public struct CheckPlugin: CheckCatalogHolder {
    /// The checks this plugin knows: built-in packs plus the loaded pack files.
    public let catalog: CheckCatalogStore

    public init(catalog: CheckCatalogStore = CheckCatalogStore()) {
        self.catalog = catalog
    }

    public var name: String { "check" }
    public var version: String { CurateRelease.version }
    public var commands: [any CurateCommand.Type] { [CheckCommand.self, ReportCommand.self] }

    /// Loads the check pack files (`*.pack.sql`) of the trusted plugin folders; a bad file is
    /// reported (file and line) and skipped, the rest load.
    public func load(from searchPath: PluginSearchPath, console: Console) {
        let report = catalog.reload(from: searchPath)
        for warning in report.warnings { console.printError("curate: warning: " + warning) }
    }

    /// One entry per loaded pack file (kind pack, its path, its version, its checks).
    public var loadedFromFiles: [PluginDescription] { catalog.descriptions }
}

enum CheckOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, prometheus, nagios
}

extension Severity: ExpressibleByArgument {}

/// `\check [NAME|PACK ...] [--list] [--format table|json|csv|prometheus|nagios] [--output FILE] [--limit N]
/// [--fail-on SEVERITY] [--no-record] [--on primary|standby]`, `\check --history [NAME ...] [--since INTERVAL]`, `\check --diff [NAME ...]`
struct CheckCommand: CurateCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Find rows that break the schema's rules (\\check --list shows the checks).",
        discussion: """
            Without names, runs every check whose tables exist; checks whose tables are missing \
            are reported as skipped. NAME is a check or a pack (fitsstorage, postgres, or a pack \
            file's: NAME.pack.sql in a plugin folder; \\check --reload re-reads them).
            Variables: CURATE_QUEUE_STUCK_AFTER (default '6 hours'), CURATE_CHECK_NOW (default now), \
            CURATE_XID_AGE_LIMIT (default 1000000000), CURATE_STANDBY (the hot standby --on standby runs on).
            Every run is recorded in curate's schema (CURATE_AUDIT_SCHEMA, default curate; \
            CURATE_CHECK_HISTORY_KEYS finding keys per check, default 1000); --history and --diff read it.
            """)

    @Argument(help: "Checks or packs to run (default: all).")
    var names: [String] = []

    @Flag(help: "List the checks with their pack, severity and description.")
    var list = false

    @Flag(help: "Re-read the check pack files (*.pack.sql) of the plugin folders first; alone, only that.")
    var reload = false

    @Option(help: "Output format: table, json, csv, prometheus (OpenMetrics text) or nagios (one line; exit status 0-3 in a script).")
    var format: CheckOutputFormat = .table

    @Option(help: "prometheus: write the metrics to this file (atomically: a temporary file, then a rename) instead of the output.")
    var output: String?

    @Flag(name: .customLong("no-record"), help: "Do not record this run in the check history.")
    var noRecord = false

    @Flag(help: "Show the recorded runs of the named checks (all when none): findings and the change since the run before.")
    var history = false

    @Option(help: "--history: only runs in this interval before now (e.g. '30 days').")
    var since: String?

    @Flag(help: "Show the findings of each named check's last run against the run before: new, still there, gone.")
    var diff = false

    @Option(help: "Show at most N rows per check (the count is always complete).")
    var limit: Int?

    @Option(help: "Run on the primary (this session, the default) or on the hot standby CURATE_STANDBY names (read-only checks; the replay lag is stated with the findings).")
    var on: CheckPlace = .primary

    @Option(name: .customLong("fail-on"), help: "Fail (exit status 3 in a script) when a finding of this severity or worse exists: info, warning, error.")
    var failOn: Severity?

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
        if on == .standby && (history || diff || list) { throw ValidationError("--on standby runs checks; --history, --diff and --list read this session") }
        try validateHistoryOptions()
    }

    /// Tab offers the values of `--on` and `--fail-on` after them, else check and pack names.
    static func completions(for request: CompletionRequest) -> [String] {
        switch request.previousWords.last {
        case "--on": return CheckPlace.allCases.map(\.rawValue)
        case "--fail-on": return Severity.allCases.map(\.rawValue)
        default: break
        }
        let catalog = CheckCatalogStore.catalog(of: request.plugin)
        return catalog.checks.map(\.name) + catalog.packs.map(\.name)
    }

    func run(context: CommandContext) throws {
        if reload {
            try reloadPacks(context: context)
            if names.isEmpty && !list { return }
        }
        let catalog = CheckCatalogStore.catalog(of: context.plugin)
        if history || diff {
            // Recorded checks may come from packs no longer loaded: names are taken as given,
            // a pack's name stands for its checks.
            try showHistory(names: names.flatMap { catalog.pack(named: $0)?.checks.map(\.name) ?? [$0] }, context: context)
            return
        }
        let selected: [CheckDefinition]
        do {
            selected = try catalog.select(names)
        } catch CheckCatalogError.unknown(let word, let suggestions) {
            throw CommandError("no check or pack named \"\(word)\"",
                               hint: suggestions.isEmpty ? "\\check --list shows the checks" : "did you mean: " + suggestions.joined(separator: ", ") + "?")
        }
        if list {
            printList(selected, catalog: catalog, context: context)
            return
        }
        // --on standby: the read-only checks run on the standby's connection, the rest are skipped.
        let standby = on == .standby ? try StandbyTarget.open(context: context) : nil
        let (toRun, notOnStandby) = standby == nil ? (selected, []) : try StandbyTarget.split(selected, named: names)
        let runner = CheckRunner(session: standby?.session ?? context.session, variables: context.variables, catalog: catalog)
        let recorder = noRecord ? nil : CheckRecorder(context: context, packFiles: (context.plugin as? any CheckCatalogHolder)?.catalog.packFiles ?? [])
        let progress = context.progress("checking", total: toRun.count)
        var done = 0
        let clock = ContinuousClock()
        let started = clock.now
        // Only the first --limit rows of each check are shown: the runner keeps no more (the
        // counts stay complete), except the keys the history records.
        // On a standby every row is kept, for \fix --from-standby.
        let kept = standby != nil ? nil : recorder.map { recorder in limit.map { max($0, recorder.keyLimit) } } ?? limit
        var outcomes: [CheckOutcome]
        do {
            let run = {
                try runner.run(toRun, limit: kept) { _ in
                    progress.update(done: done)
                    done += 1
                }
            }
            outcomes = try standby.map { try $0.session.whileCancelTarget(returningTo: context.session, run) } ?? run()
        } catch {
            progress.finish()
            // A run that stopped halfway is recorded as failed.
            if let recorder {
                recorder.record {
                    CheckRunRecord(failed: selected, reason: CheckRecorder.describe(error), curateVersion: recorder.curateVersion,
                                   osUser: OperatingSystemUser.name, durationMS: CheckRecorder.milliseconds(started.duration(to: clock.now)),
                                   packVersion: recorder.packVersion)
                }
            }
            throw error
        }
        progress.finish()
        if let standby {
            outcomes = StandbyTarget.merge(outcomes, notOnStandby, order: selected)
            (context.plugin as? any CheckCatalogHolder)?.catalog.standbyFindings.remember(outcomes, database: standby.session.info.database, lag: standby.lag.summary)
        }
        if let recorder {
            recorder.record {
                CheckRunRecord(outcomes: outcomes, curateVersion: recorder.curateVersion, osUser: OperatingSystemUser.name,
                               durationMS: CheckRecorder.milliseconds(started.duration(to: clock.now)), keyLimit: recorder.keyLimit,
                               packVersion: recorder.packVersion)
            }
        }
        switch format {
        case .table: printTable(outcomes, standby: standby?.lag, context: context)
        case .json: printJSON(outcomes, standby: standby?.lag, context: context)
        case .csv: printCSV(outcomes, standby: standby?.lag, context: context)
        case .prometheus: try writePrometheus(outcomes, standby: standby?.lag, context: context)
        case .nagios: try printNagios(outcomes, standby: standby?.lag, context: context)
        }
        context.console.flush()
        // A check that could not run always fails \check (with or without --fail-on): a cron job
        // must never read "could not check" as "clean". Findings fail it only with --fail-on.
        let failed = outcomes.filter { $0.status == .failed }
        let bad = failOn.map { failOn in outcomes.filter { $0.status == .findings && $0.check.severity >= failOn } } ?? []
        if !bad.isEmpty || !failed.isEmpty {
            var parts: [String] = []
            if let failOn, !bad.isEmpty { parts.append("\(bad.count) check\(bad.count == 1 ? "" : "s") found problems of severity \(failOn.rawValue) or worse (\(bad.map(\.check.name).joined(separator: ", ")))") }
            if !failed.isEmpty { parts.append("\(failed.count) check\(failed.count == 1 ? "" : "s") could not run (\(failed.map(\.check.name).joined(separator: ", ")))") }
            throw CommandError(parts.joined(separator: "; "))
        }
    }

    /// `--reload`: the pack files again, from the same folders as at startup. Problems are
    /// reported like at startup, and make the command fail (after the good packs are loaded), so
    /// that a script can tell.
    private func reloadPacks(context: CommandContext) throws {
        let searchPath = context.pluginSearchPath
        guard let store = (context.plugin as? any CheckCatalogHolder)?.catalog else {
            throw CommandError("\\check --reload needs the check plugin's catalog")
        }
        let report = store.reload(from: searchPath)
        for warning in report.warnings { context.console.printError("curate: warning: " + warning) }
        let checks = report.packs.reduce(0) { $0 + $1.pack.checks.count }
        if searchPath.directories.isEmpty {
            context.console.print("Check packs: no plugin folders (-P DIR, CURATE_PLUGIN_PATH or ~/.config/curate/plugins; none with --no-plugins).")
        } else {
            let packs = report.packs.map { "\($0.pack.name) (\($0.path))" }
            context.console.print("Check packs reloaded: \(report.packs.count) pack\(report.packs.count == 1 ? "" : "s"), \(checks) check\(checks == 1 ? "" : "s")"
                                  + (packs.isEmpty ? "." : ": " + packs.joined(separator: ", ")))
        }
        if report.skippedFiles > 0 || report.refusedChecks > 0 || !report.warnings.isEmpty {
            var parts: [String] = []
            if report.skippedFiles > 0 { parts.append("\(report.skippedFiles) check pack file\(report.skippedFiles == 1 ? "" : "s") skipped") }
            if report.refusedChecks > 0 { parts.append("\(report.refusedChecks) check\(report.refusedChecks == 1 ? "" : "s") refused") }
            throw CommandError((parts.isEmpty ? "problems in the check pack files" : parts.joined(separator: ", ")) + " (the warnings above say why)",
                               hint: "fix the lines named, then \\check --reload")
        }
    }

    private func printList(_ checks: [CheckDefinition], catalog: CheckCatalog, context: CommandContext) {
        let rows: [[String?]] = checks.map { check in
            let fix: String
            switch catalog.fix(for: check.name)?.kind {
            case .rows?, .statements?: fix = "yes"
            default: fix = "no"
            }
            return [check.name, check.pack, check.severity.rawValue, fix, check.description]
        }
        // The user's format, like a query result (\pset, --csv, \x, \o, the pager).
        context.printTable(columns: ["check", "pack", "severity", "fix", "description"], rows: rows)
    }

    private func shownRows(_ outcome: CheckOutcome) -> ArraySlice<[String?]> {
        guard let limit else { return outcome.rows[...] }
        return outcome.rows.prefix(limit)
    }

    /// One status line per check; each check's rows printed in the user's format, as a query's.
    private func printTable(_ outcomes: [CheckOutcome], standby: ReplayLag?, context: CommandContext) {
        let console = context.console
        if let standby { console.print(standby.line) }
        var counts: [CheckOutcome.Status: Int] = [:]
        for outcome in outcomes {
            counts[outcome.status, default: 0] += 1
            let check = outcome.check
            let title = "\(check.name) (\(check.pack), \(check.severity.rawValue))"
            switch outcome.status {
            case .skipped:
                console.print("\(title): skipped: \(outcome.reason ?? "")")
            case .failed:
                console.print("\(title): FAILED to run: \(outcome.reason ?? "") — not checked")
            case .passed:
                var line = "\(title): ok, 0 rows, \(CheckReport.milliseconds(outcome.elapsedMS)) ms"
                if let by = outcome.guaranteedBy { line += " — guaranteed by constraint \(by)" }
                console.print(line)
            case .findings:
                var line = "\(title): \(outcome.count) row\(outcome.count == 1 ? "" : "s"), \(CheckReport.milliseconds(outcome.elapsedMS)) ms"
                if outcome.sharedScan != nil { line += " (shared scan)" }
                console.print(line)
                let shown = shownRows(outcome)
                if !shown.isEmpty {
                    context.printTable(described: outcome.columns.map { ColumnDescription(name: $0.name, typeOID: $0.typeOID) },
                                       rows: Array(shown))
                }
                if shown.count < outcome.count { console.print("(\(outcome.count - shown.count) more rows not shown; --limit)") }
                console.print("")
            }
        }
        let summary = [CheckOutcome.Status.findings, .passed, .skipped, .failed].compactMap { status -> String? in
            guard let n = counts[status], n > 0 else { return nil }
            let word = status == .findings ? "with findings" : status.rawValue
            return "\(n) \(word)"
        }
        console.print("\(outcomes.count) check\(outcomes.count == 1 ? "" : "s"): " + summary.joined(separator: ", "))
    }

    /// `--format json`: the documented `curate-check` document (docs/curation-guide.md), its
    /// strings written by the one JSON encoder.
    private func printJSON(_ outcomes: [CheckOutcome], standby: ReplayLag?, context: CommandContext) {
        let console = context.console
        let quoted = JSONString.quoted
        console.print("{\"format\": \"curate-check\", \"version\": 1, \"database\": \(quoted(context.session.info.database)), "
                      + (standby.map { "\"standby\": \($0.jsonObject), " } ?? "") + "\"checks\": [")
        for (index, outcome) in outcomes.enumerated() {
            let shown = shownRows(outcome)
            var fields: [String] = [
                "\"check\": " + quoted(outcome.check.name),
                "\"pack\": " + quoted(outcome.check.pack),
                "\"severity\": " + quoted(outcome.check.severity.rawValue),
                "\"status\": " + quoted(outcome.status.rawValue),
                "\"count\": \(outcome.status == .skipped || outcome.status == .failed ? "null" : String(outcome.count))",
                "\"elapsed_ms\": " + CheckReport.milliseconds(outcome.elapsedMS),
                "\"skipped_reason\": " + (outcome.status == .skipped ? quoted(outcome.reason ?? "") : "null"),
                "\"error\": " + (outcome.status == .failed ? quoted(outcome.reason ?? "") : "null"),
                "\"guaranteed_by\": " + (outcome.guaranteedBy.map(quoted) ?? "null"),
                "\"truncated\": \(shown.count < outcome.count)",
            ]
            let rows = shown.map { CheckReport.jsonObject(columns: outcome.columns, row: $0) }
            fields.append("\"rows\": [" + (rows.isEmpty ? "" : "\n    " + rows.joined(separator: ",\n    ") + "\n  ") + "]")
            console.print("  {" + fields.joined(separator: ", ") + "}" + (index < outcomes.count - 1 ? "," : ""))
        }
        console.print("]}")
    }

    /// `--format csv`: one line per finding (or per check without rows), through the csv
    /// renderer that `--csv` uses; the row is its JSON object.
    private func printCSV(_ outcomes: [CheckOutcome], standby: ReplayLag?, context: CommandContext) {
        var rows: [[String?]] = []
        for outcome in outcomes {
            let head = [outcome.check.name, outcome.check.pack, outcome.check.severity.rawValue, outcome.status.rawValue,
                        outcome.status == .skipped || outcome.status == .failed ? "" : String(outcome.count),
                        CheckReport.milliseconds(outcome.elapsedMS), outcome.reason ?? ""]
            let shown = shownRows(outcome)
            // On a standby: the lag the findings are based on, on every line.
            let lag: [String?] = standby.map { [String($0.bytesBehind), $0.lastReplayedCommit ?? ""] } ?? []
            if shown.isEmpty { rows.append(head + [""] + lag) }
            for row in shown { rows.append(head + [CheckReport.jsonObject(columns: outcome.columns, row: row)] + lag) }
        }
        var settings = context.settings
        settings.format = .csv
        settings.expanded = .off
        settings.tuplesOnly = false
        settings.csvFieldSeparator = ","
        context.printTable(columns: ["check", "pack", "severity", "status", "count", "elapsed_ms", "reason", "row"]
                               + (standby == nil ? [] : ["standby_lag_bytes", "standby_last_replayed_commit"]), rows: rows,
                           settings: settings)
    }
}
