import ArgumentParser
import CurateChecks
import CurateKit

/// `\row TABLE KEY...`, `\row TABLE --where CONDITION`, `\row N`, `\row` (the current row again).
struct RowCommand: CurateCommand {
    static let configuration = CommandConfiguration(
        commandName: "row",
        abstract: "Show a row with its related rows both ways, its findings and its fix history.",
        discussion: """
            \\row TABLE KEY...          the row whose primary (or a unique) key is KEY (one value per key column)
            \\row TABLE --where COND    the row matching an SQL condition (several: listed, numbered)
            \\row N                     related row N of the last \\row; \\back returns
            Relations: foreign keys both ways, and relations check packs declare (-- relation:).
            Variables: CURATE_ROW_SCAN_PAGES (default 128): a relation without index is read only on \
            tables up to this size (--scan: always).
            """)

    /// Tab offers tables, then the key's values.
    static func completions(for request: CompletionRequest) -> [String] { RowCompletion.candidates(for: request) }

    @Argument(help: "TABLE and KEY values, or N (a related row's number).")
    var words: [String] = []

    @Option(name: .customLong("where"), help: "An SQL condition on TABLE's columns (read-only, checked first).")
    var condition: String?

    @Option(help: "Related rows listed per relation.")
    var limit: Int = 10

    @Flag(help: "List every related row.")
    var all = false

    @Flag(help: "Read relations that have no index even on large tables.")
    var scan = false

    @Option(help: "text (in the \\pset format) or json.")
    var format: String = "text"


    func validate() throws {
        if format != "text" && format != "json" { throw ValidationError("--format is text or json, not \(format)") }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    var readOptions: RowReadOptions {
        RowReadOptions(limit: all ? nil : limit, scanUnindexed: scan, scanPages: 128)
    }

    func run(context: CommandContext) throws {
        guard let trail = context.plugin(RowPlugin.self)?.trail else { throw CommandError("\\row needs its plugin") }
        if words.isEmpty {
            guard condition == nil, let current = trail.visited.last else {
                throw CommandError("usage: \\row TABLE KEY... | \\row TABLE --where CONDITION | \\row N")
            }
            return try show(current, context: context, remember: false)
        }
        if words.count == 1, condition == nil, let number = Int(words[0]) {
            guard number >= 1, number <= trail.numbered.count else {
                throw CommandError(trail.numbered.isEmpty ? "no numbered rows to follow" : "no row number \(number) (1 to \(trail.numbered.count))",
                                   hint: "\\row TABLE KEY shows a row and numbers its related rows")
            }
            return try show(trail.numbered[number - 1], context: context, remember: true)
        }
        let address = try inReadOnlyScope(context) { tables in
            try RowLocator(context: context, tables: tables).locate(table: words[0], key: Array(words.dropFirst()), condition: condition,
                                                                     limit: readOptions.limit, trail: trail)
        }
        if let address { try show(address, context: context, remember: true) }
    }

    /// Reads and prints the row; `remember` adds it to the trail `\back` walks.
    func show(_ address: RowAddress, context: CommandContext, remember: Bool) throws {
        guard let plugin = context.plugin(RowPlugin.self) else { throw CommandError("\\row needs its plugin") }
        let trail = plugin.trail
        var options = readOptions
        if let pages = context.variables["CURATE_ROW_SCAN_PAGES"].flatMap({ Int($0) }) { options.scanPages = pages }
        let catalog = plugin.catalog.catalog
        let report = try inReadOnlyScope(context) { tables in
            try RowReader(context: context, catalog: catalog, tables: tables, options: options).report(address)
        }
        guard let report else {
            throw CommandError("the row \(address.keyText) no longer exists", hint: "\\back returns to the row before")
        }
        if remember && trail.visited.last != address { trail.visited.append(address) }
        trail.numbered = report.sections.flatMap { section in
            section.rows.rows.map { section.rows.address(of: $0, in: section.relation.remote) }
        }
        if format == "json" {
            context.console.print(RowJSONWriter().json(report))
        } else {
            RowTextPrinter(context: context).print(report, limit: options.limit)
        }
    }

    /// Runs `body` in a read-only transaction (a savepoint inside the user's), always rolled back.
    func inReadOnlyScope<T>(_ context: CommandContext, _ body: (RowTableCatalog) throws -> T) throws -> T {
        let tables = RowTableCatalog(session: context.session)
        do {
            return try context.session.withTransaction(readOnly: true, keep: false) { try body(tables) }
        } catch {
            throw error.reported
        }
    }
}
