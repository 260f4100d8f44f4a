import CurateChecks
import CurateKit

extension FixEngine {
    /// `--where` checked before the fix uses it. It runs alone, as
    /// `SELECT FROM TABLE WHERE (condition) LIMIT $1`, through the extended query protocol (the
    /// parameter makes it so, and the server then refuses a text of more than one statement),
    /// inside a savepoint made read-only and always rolled back. So a condition can neither start
    /// a second statement (`x)) ; DELETE ...`) nor write (a function that writes fails), and a
    /// mistake is reported before any row is locked. The fix then puts the same text in its lock
    /// query, where it ends a line of its own (a `--` in it cannot swallow what follows).
    func checkCondition(_ rowFix: RowFix) throws {
        guard let condition = options.condition else { return }
        var failure: ServerError? = nil
        do {
            // Read-only, and always rolled back.
            try session.withSavepoint(named: "curate_fix_where", readOnly: true, keep: false) {
                do {
                    try session.execute("SELECT FROM \(rowFix.table) WHERE (\(condition)\n) LIMIT $1::bigint", ["1"])
                } catch let error as ServerError {
                    failure = error
                }
            }
        } catch {
            throw error.reported
        }
        if let failure {
            throw CommandError("--where cannot be used: \(failure.message); nothing was changed",
                               hint: "give one SQL condition on the columns of \(rowFix.table) that only reads (no ; and no function that writes)")
        }
    }
}
