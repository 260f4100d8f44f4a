import CurateChecks
import CurateKit

extension FixEngine {
    /// `--where` checked before the fix uses it, as `\row --where` checks it
    /// (``ReadOnlyCondition``): alone, read-only, always rolled back, before any row is locked.
    func checkCondition(_ rowFix: RowFix) throws {
        guard let condition = options.condition else { return }
        let failure = try ReadOnlyCondition.problem(condition, on: rowFix.table, in: session)
        if let failure {
            throw CommandError("--where cannot be used: \(failure.message); nothing was changed",
                               hint: "give one SQL condition on the columns of \(rowFix.table) that only reads (no ; and no function that writes)")
        }
    }
}
