/// One result row. Values are the server's text representation; NULL is `nil`.
public struct Row {
    let result: PGResult
    let index: Int
    /// The result's columns, in order.
    public let columns: [ColumnDescription]

    init(result: PGResult, index: Int, columns: [ColumnDescription]) {
        self.result = result
        self.index = index
        self.columns = columns
    }

    /// The number of columns.
    public var count: Int { columns.count }

    /// The value of column number `column` (from 0); nil for NULL.
    public subscript(column: Int) -> String? {
        result.string(row: index, column: column)
    }

    /// The value of the first column with this name; nil for NULL or no such column.
    public subscript(name: String) -> String? {
        guard let column = columns.firstIndex(where: { $0.name == name }) else { return nil }
        return self[column]
    }

    /// Every value in column order; nil for NULL.
    public var values: [String?] { (0..<count).map { self[$0] } }
}

/// A whole (small) result held in memory, from `Session.execute`.
public struct QueryResult {
    /// The result's columns, in order; empty for a statement that returns no rows.
    public let columns: [ColumnDescription]
    /// Every row, held in memory.
    public let rows: [Row]
    /// The command tag, e.g. `SELECT 3`, `UPDATE 2`.
    public let commandTag: String

    /// The row count in the command tag (`UPDATE 2` → 2), or the number of rows returned.
    public var affectedRows: Int {
        if let last = commandTag.split(separator: " ").last, let count = Int(last) { return count }
        return rows.count
    }
}
