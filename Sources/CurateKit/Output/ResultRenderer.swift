/// One row's values as the server sent them (text format), without copying them into Strings.
/// (`package`: the external plugin host relays rows in place too.)
package protocol RowValues {
    var count: Int { get }
    func isNull(_ column: Int) -> Bool
    /// The value's bytes; empty for NULL. Valid only inside `body`.
    func withValue<R>(_ column: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

/// Receives one statement's results as they stream in and prints them in one format.
///
/// Call order per statement: for each result set `begin`, `row`..., `end`; or `command` for a
/// result without rows (INSERT, CREATE, ...). A statement string can give several results.
package protocol ResultRenderer: AnyObject {
    func begin(columns: [ColumnDescription])
    func row(_ values: some RowValues)
    /// `commandTag` as the server sent it (`SELECT 3`); `rowCount` the rows passed to `row`.
    func end(commandTag: String, rowCount: Int)
    /// A result without a row description, e.g. `INSERT 0 1`.
    func command(tag: String)
}
