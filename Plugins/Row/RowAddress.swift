/// Where a row is: its table and the values of a key (the primary key, a unique key, or the row's
/// physical place `ctid` for a table without either). What `\row N` and `\back` go to.
struct RowAddress: Equatable {
    var tableOID: String
    var columns: [String]
    var values: [String?]

    static let physicalColumn = "ctid"

    var isPhysical: Bool { columns == [Self.physicalColumn] }

    /// `id = 7`, `(a, b) = (1, x)`.
    var keyText: String {
        let shown = values.map { $0 ?? "NULL" }
        if columns.count == 1 { return "\(columns[0]) = \(shown[0])" }
        return "(\(columns.joined(separator: ", "))) = (\(shown.joined(separator: ", ")))"
    }
}

/// The rows `\row` went through (for `\back`) and the numbered rows of the last listing (for
/// `\row N`): the plugin's state, kept for the session.
final class RowTrail {
    var visited: [RowAddress] = []
    var numbered: [RowAddress] = []
}
