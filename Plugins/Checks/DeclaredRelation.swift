import Foundation

/// A relation between two tables that the schema does not declare (no foreign key), declared by a
/// check pack so that `\row` follows it like a foreign key: `table.columns` hold the values of
/// `referencedTable.referencedColumns` (FitsStorage's `ingestqueue.filename` names `file.name`).
public struct DeclaredRelation: Sendable, Equatable {
    /// The referencing table, as SQL names it.
    public var table: String
    public var columns: [String]
    /// The referenced table, as SQL names it.
    public var referencedTable: String
    public var referencedColumns: [String]
    /// The pack that declares it (set when the pack is assembled).
    public var pack: String

    public init(table: String, columns: [String], referencedTable: String, referencedColumns: [String], pack: String = "") {
        self.table = table
        self.columns = columns
        self.referencedTable = referencedTable
        self.referencedColumns = referencedColumns
        self.pack = pack
    }

    /// `TABLE.COLUMN -> TABLE.COLUMN` (composite: `t.(a, b) -> u.(c, d)`), as a pack file writes
    /// it after `-- relation:`; nil when the text is not of that form.
    public static func parse(_ text: String) -> DeclaredRelation? {
        let sides = text.components(separatedBy: "->")
        guard sides.count == 2, let from = side(sides[0]), let to = side(sides[1]), from.columns.count == to.columns.count else { return nil }
        return DeclaredRelation(table: from.table, columns: from.columns, referencedTable: to.table, referencedColumns: to.columns)
    }

    /// `table.column` or `table.(a, b)`: the table is everything before the last dot outside
    /// quotes and parentheses.
    private static func side(_ text: String) -> (table: String, columns: [String])? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix(")"), let open = trimmed.lastIndex(of: "(") {
            let table = trimmed[..<open]
            guard table.hasSuffix(".") else { return nil }
            let columns = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !columns.isEmpty, columns.allSatisfy({ !$0.isEmpty }) else { return nil }
            return (String(table.dropLast()), columns)
        }
        var quoted = false
        var lastDot: String.Index? = nil
        for index in trimmed.indices {
            if trimmed[index] == "\"" { quoted.toggle() } else if trimmed[index] == ".", !quoted { lastDot = index }
        }
        guard let lastDot else { return nil }
        let table = String(trimmed[..<lastDot])
        let column = String(trimmed[trimmed.index(after: lastDot)...])
        guard !table.isEmpty, !column.isEmpty else { return nil }
        return (table, [column])
    }

    /// As a pack file writes it.
    public var text: String {
        func side(_ table: String, _ columns: [String]) -> String {
            columns.count == 1 ? "\(table).\(columns[0])" : "\(table).(\(columns.joined(separator: ", ")))"
        }
        return side(table, columns) + " -> " + side(referencedTable, referencedColumns)
    }
}

/// How a check's finding names the rows it concerns: the finding's column `column` holds the
/// value of `table.tableColumn` (`diskfile_id` names `diskfile.id`). `\row` uses it to run the
/// check for one row alone (the check's query filtered on that column) and to show the findings
/// that concern the row.
public struct FindingRowName: Sendable, Equatable {
    public var column: String
    public var table: String
    public var tableColumn: String

    public init(column: String, table: String, tableColumn: String) {
        self.column = column
        self.table = table
        self.tableColumn = tableColumn
    }

    /// `COLUMN -> TABLE.COLUMN`, as a pack file's `-- rows:` lists them (separated by commas).
    public static func parseList(_ text: String) -> [FindingRowName]? {
        var names: [FindingRowName] = []
        for part in text.split(separator: ",") {
            let sides = part.components(separatedBy: "->")
            guard sides.count == 2 else { return nil }
            let column = sides[0].trimmingCharacters(in: .whitespaces)
            let target = sides[1].trimmingCharacters(in: .whitespaces)
            guard !column.isEmpty, let dot = target.lastIndex(of: "."), dot != target.startIndex else { return nil }
            let tableColumn = String(target[target.index(after: dot)...])
            guard !tableColumn.isEmpty else { return nil }
            names.append(FindingRowName(column: column, table: String(target[..<dot]), tableColumn: tableColumn))
        }
        return names.isEmpty ? nil : names
    }
}
