import CurateKit

/// Finds the row the user named: by the values of a key (the primary key first, then unique
/// keys with as many columns), or by a condition (checked as `\fix --where` checks it).
struct RowLocator {
    let context: CommandContext
    let tables: RowTableCatalog
    var session: Session { context.session }

    /// The row's address; nil when several rows match a condition (they are listed, numbered).
    func locate(table name: String, key: [String], condition: String?, limit: Int?, trail: RowTrail) throws -> RowAddress? {
        guard let table = try tables.resolve(name) else {
            throw CommandError("no table named \(name)", hint: "\\dt lists the tables; quote a name with capitals or spaces: '\"My Table\"'")
        }
        let select = RowSelect(session: session)
        if let condition {
            guard key.isEmpty else { throw CommandError("give either KEY values or --where, not both") }
            if let failure = try ReadOnlyCondition.problem(condition, on: table.qualifiedName, in: session) {
                throw CommandError("--where cannot be used: \(failure.message)",
                                   hint: "give one SQL condition on the columns of \(table.displayName) that only reads (no ; and no function that writes)")
            }
            let rows = try select.rows(of: table, matching: condition, limit: limit.map { $0 + 1 })
            switch rows.rows.count {
            case 0:
                throw CommandError("no row of \(table.displayName) matches --where \(condition)")
            case 1:
                return rows.address(of: rows.rows[0], in: table)
            default:
                let shown = Array(rows.rows.prefix(limit ?? rows.rows.count))
                let total = rows.rows.count > shown.count ? try select.count(of: table, matching: condition) : shown.count
                trail.numbered = shown.map { rows.address(of: $0, in: table) }
                context.console.print("\(total) rows of \(table.displayName) match" + (total > shown.count ? ", the first \(shown.count) listed (--all lists all)" : "") + ":")
                var listed = context.settings
                listed.footer = false
                context.printTable(described: [ColumnDescription(name: "#", typeOID: TypeOID.int4)] + rows.shownColumns,
                                   rows: shown.enumerated().map { [String($0.offset + 1)] + $0.element.dropFirst() }, settings: listed)
                context.console.print("\\row N shows row N.")
                return nil
            }
        }
        guard !key.isEmpty else { throw CommandError("usage: \\row TABLE KEY... or \\row TABLE --where CONDITION") }
        let candidates = table.keys.filter { $0.count == key.count }
        guard !candidates.isEmpty else {
            let keys = table.keys.map { "(" + $0.joined(separator: ", ") + ")" }.joined(separator: ", ")
            throw CommandError(table.keys.isEmpty
                               ? "\(table.displayName) has no primary or unique key to find a row by"
                               : "\(table.displayName) has no key of \(key.count) column\(key.count == 1 ? "" : "s"); its keys: \(keys)",
                               hint: "\\row \(table.displayName) --where CONDITION finds rows by any columns")
        }
        for columns in candidates {
            // A value that is not of the key's type (a name given for an integer id) is no match.
            let found = try RowTableCatalog.valueUnlessRefused(session, savepoint: "curate_row_key") {
                try select.rows(of: table, columns: columns, tuples: [key], limit: 1)
            }
            if let found, let row = found.rows.first { return found.address(of: row, in: table) }
        }
        let tried = candidates.map { "(" + $0.joined(separator: ", ") + ")" }.joined(separator: " or ")
        throw CommandError("no row of \(table.displayName) has \(tried) = (\(key.joined(separator: ", ")))")
    }
}
