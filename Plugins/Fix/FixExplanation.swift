import CurateChecks
import CurateKit

extension FixEngine {
    /// Under the preview: the fix's own account of what it repaired (the files by name, the row
    /// kept and why), at most CURATE_FIX_PREVIEW_ROWS rows.
    func explain(_ rowFix: RowFix, scope: String) throws {
        guard let explain = rowFix.explain else { return }
        let result = try session.execute(explain, [scope])
        guard !result.rows.isEmpty else { return }
        let limit = intVariable("CURATE_FIX_PREVIEW_ROWS", default: 20)
        let shown = result.rows.prefix(limit)
        console.print(result.rows.count > shown.count ? "Kept, and why (the first \(shown.count) of \(result.rows.count)):" : "Kept, and why:")
        context.printTable(described: result.columns, rows: shown.map(\.values))
    }
}
