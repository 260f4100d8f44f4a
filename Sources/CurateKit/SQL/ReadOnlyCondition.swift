/// A user's SQL condition (`--where`) checked before a command puts it into its own SQL: `\fix
/// --where` and `\row --where` check it the same way.
///
/// It runs alone, as `SELECT FROM TABLE WHERE (condition) LIMIT $1`, through the extended query
/// protocol (the parameter makes it so, and the server then refuses a text of more than one
/// statement), inside a savepoint made read-only and always rolled back. So a condition can
/// neither start a second statement (`x)) ; DELETE ...`) nor write (a function that writes
/// fails), and a mistake is reported before anything else runs. The caller then puts the same
/// text in its query, where it ends a line of its own (a `--` in it cannot swallow what follows).
public enum ReadOnlyCondition {
    /// The server's error when `condition` cannot be used on `table` (an SQL name, quoted as
    /// needed); nil when it can. Needs an open transaction (it uses a savepoint).
    public static func problem(_ condition: String, on table: String, in session: Session) throws -> ServerError? {
        var failure: ServerError? = nil
        do {
            try session.withSavepoint(named: "curate_where_check", readOnly: true, keep: false) {
                do {
                    try session.execute("SELECT FROM \(table) WHERE (\(condition)\n) LIMIT $1::bigint", ["1"])
                } catch let error as ServerError {
                    failure = error
                }
            }
        } catch {
            throw error.reported
        }
        return failure
    }

    /// `condition` as it goes into a query: in parentheses, ending its own line.
    public static func parenthesized(_ condition: String) -> String { "(\(condition)\n)" }
}
