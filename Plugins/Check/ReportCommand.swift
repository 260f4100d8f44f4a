import ArgumentParser
import CurateChecks
import CurateKit
import Foundation

/// `\report --out DIR [NAME|PACK ...] [--limit N] [--no-record]`: runs the checks (recorded like
/// `\check`), then writes a static HTML report into DIR: `index.html` with each check's latest
/// result and a plot of its findings over the recorded runs, and a page of rows per check with
/// findings. From cron: `curate -d DB -c '\report --out /srv/www/curate'`.
struct ReportCommand: CurateCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Run the checks and write a static HTML report with their history (\\report --out DIR).",
        discussion: """
            DIR is created when missing; index.html and the check-NAME.html pages in it are replaced. \
            The report opens from disk: no server, no script, nothing fetched from elsewhere.
            """)

    @Argument(help: "Checks or packs to run (default: all).")
    var names: [String] = []

    @Option(help: "The folder to write the report into.")
    var out: String

    @Option(help: "Rows shown per check (the count is always complete).")
    var limit: Int = 100

    @Flag(name: .customLong("no-record"), help: "Do not record this run in the check history.")
    var noRecord = false

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit must be 0 or more") }
        if out.isEmpty { throw ValidationError("--out needs a folder") }
    }

    static func completions(for request: CompletionRequest) -> [String] {
        let catalog = CheckCatalogStore.catalog(of: request.plugin)
        return catalog.checks.map(\.name) + catalog.packs.map(\.name)
    }

    func run(context: CommandContext) throws {
        let catalog = CheckCatalogStore.catalog(of: context.plugin)
        let selected: [CheckDefinition]
        do {
            selected = try catalog.select(names)
        } catch CheckCatalogError.unknown(let word, let suggestions) {
            throw CommandError("no check or pack named \"\(word)\"",
                               hint: suggestions.isEmpty ? "\\check --list shows the checks" : "did you mean: " + suggestions.joined(separator: ", ") + "?")
        }
        let session = context.session
        let runner = CheckRunner(session: session, variables: context.variables, catalog: catalog)
        let recorder = noRecord ? nil : CheckRecorder(context: context, packFiles: (context.plugin as? any CheckCatalogHolder)?.catalog.packFiles ?? [])
        let clock = ContinuousClock()
        let started = clock.now
        let kept = max(limit, recorder?.keyLimit ?? 0)
        let outcomes = try runner.run(selected, limit: kept)
        var recorded = false
        if let recorder {
            recorded = recorder.record {
                CheckRunRecord(outcomes: outcomes, curateVersion: recorder.curateVersion, osUser: OperatingSystemUser.name,
                               durationMS: CheckRecorder.milliseconds(started.duration(to: clock.now)), keyLimit: recorder.keyLimit,
                               packVersion: recorder.packVersion)
            }
        }
        let now = try runner.guarded {
            try session.execute("SELECT extract(epoch FROM now())::float8, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI \"UTC\"')")
        }
        let nowSeconds = Double(now.rows.first?[0] ?? "0") ?? 0
        var series = try recordedSeries(context: context, runner: runner)
        // This run is in the history when it was recorded; otherwise it is added here.
        for outcome in outcomes where !recorded || series[outcome.check.name] == nil {
            let ran = outcome.status == .passed || outcome.status == .findings
            series[outcome.check.name, default: []].append(SVGPlot.Point(time: nowSeconds, count: ran ? outcome.count : nil, status: outcome.status.rawValue))
        }
        let report = HTMLReport(database: session.info.database, generated: now.rows.first?[1] ?? "", outcomes: outcomes,
                                series: series, rowLimit: limit)
        let folder = out.hasPrefix("~") ? NSString(string: out).expandingTildeInPath : out
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw CommandError("cannot create the report folder \(folder): \(error.localizedDescription)")
        }
        let files = report.files()
        for file in files { try AtomicFile.write(file.content, to: folder + "/" + file.path) }
        context.console.print("Report written: \(folder)/index.html (\(outcomes.count) check\(outcomes.count == 1 ? "" : "s"), \(files.count) file\(files.count == 1 ? "" : "s")).")
    }

    /// The recorded runs per check, oldest first; none when nothing is recorded.
    private func recordedSeries(context: CommandContext, runner: CheckRunner) throws -> [String: [SVGPlot.Point]] {
        let store = CheckHistoryStore(session: context.session, schema: CheckHistoryStore.schemaName(context.variables))
        return try runner.guarded {
            guard try store.exists() else { return [:] }
            var series: [String: [SVGPlot.Point]] = [:]
            for row in try store.series().rows {
                guard let check = row[0], let time = row[1].flatMap({ Double($0) }) else { continue }
                series[check, default: []].append(SVGPlot.Point(time: time, count: row[2].flatMap { Int($0) }, status: row[3] ?? ""))
            }
            return series
        }
    }
}
