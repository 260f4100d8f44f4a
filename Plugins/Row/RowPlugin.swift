import ArgumentParser
import CurateChecks
import CurateKit

/// The `row` plugin: `\row` (a row with its related rows, findings and fix history) and `\back`.
public struct RowPlugin: CheckCatalogHolder {
    /// The checks (for findings) and packs (for declared relations): the check plugin's catalog.
    public let catalog: CheckCatalogStore
    /// Where `\row N` and `\back` go.
    let trail = RowTrail()

    public init(catalog: CheckCatalogStore = CheckCatalogStore()) {
        self.catalog = catalog
    }

    public var name: String { "row" }
    public var version: String { CurateRelease.version }
    public var commands: [any CurateCommand.Type] { [RowCommand.self, BackCommand.self] }
}

/// `\back`: the row shown before the current one.
struct BackCommand: CurateCommand {
    static let configuration = CommandConfiguration(
        commandName: "back", abstract: "Show again the row \\row showed before the current one.")

    func run(context: CommandContext) throws {
        guard let trail = context.plugin(RowPlugin.self)?.trail, trail.visited.count > 1 else {
            throw CommandError("no earlier row to go back to", hint: "\\row TABLE KEY shows a row; \\row N follows a related row")
        }
        trail.visited.removeLast()
        let address = trail.visited[trail.visited.count - 1]
        let command = try RowCommand.parse([])
        try command.show(address, context: context, remember: false)
    }
}
