import CurateChecks
import CurateKit

/// Runs, for one row, the loaded checks whose findings name rows of its table: each check's query
/// filtered on the finding column that names the row (the planner pushes the filter into the
/// query, so the check reads this row's part of the tables, not all of them).
struct RowFindingsReader {
    let context: CommandContext
    let catalog: CheckCatalog
    let tables: RowTableCatalog
    var session: Session { context.session }

    func findings(of table: RowTable, row: SelectedRows, values: [String?]) throws -> [RowFindings] {
        let runner = CheckRunner(session: session, variables: context.variables, catalog: catalog)
        var cache: [String: Bool] = [:]
        var oids: [String: String?] = [:]
        var found: [RowFindings] = []
        for check in catalog.checks {
            // The first name of this table is the one filtered on (the key, as packs list it first).
            var naming: FindingRowName? = nil
            for name in check.rowNames {
                if oids[name.table] == nil {
                    oids[name.table] = try session.execute("SELECT pg_catalog.to_regclass($1)::oid::text", [name.table]).rows.first?[0] ?? nil
                }
                if oids[name.table] == .some(table.oid) { naming = name; break }
            }
            guard let naming, table.columns.contains(where: { $0.name == naming.tableColumn }) else { continue }
            if try runner.skipReason(check, cache: &cache) != nil { continue }
            guard let value = row.value(values, of: naming.tableColumn) else { continue }
            let type = table.type(of: naming.tableColumn)
            let column = "finding." + session.quoteIdentifier(naming.column)
            do {
                let (columns, rows) = try query(check, runner: runner, column: column, type: type, value: value)
                if !rows.isEmpty { found.append(RowFindings(check: check, columns: columns, rows: rows)) }
            } catch {
                found.append(RowFindings(check: check, columns: [], rows: [], failure: Self.text(of: error)))
            }
        }
        return found
    }

    /// The check's rows whose `column` equals `value` (cast to the row's column type).
    func query(_ check: CheckDefinition, runner: CheckRunner, column: String, type: String, value: String) throws -> ([FindingColumn], [[String?]]) {
        switch check.query {
        case .sql(let sql):
            var parameters = runner.values(of: check.parameters)
            parameters.append(value)
            return try runner.withSettings(check.settings + Self.oneRow) {
                collect(try session.execute("SELECT * FROM (\n\(sql)\n) finding WHERE \(column) = $\(parameters.count)::\(type)", parameters))
            }
        case .shared(let scanName, let wanted):
            guard let scan = catalog.sharedScan(named: scanName) else { throw CommandError("no shared scan named \(scanName)") }
            return try runner.withSettings(scan.settings + Self.oneRow) {
                var parameters: [String?] = []
                if let parametersSQL = scan.parametersSQL { parameters = try session.execute(parametersSQL).rows.first?.values ?? [] }
                parameters += [check.name, value]
                let list = wanted.map { "finding." + session.quoteIdentifier($0) }.joined(separator: ", ")
                return collect(try session.execute("""
                    SELECT \(list) FROM (
                    \(scan.sql)
                    ) finding WHERE finding."check" = $\(parameters.count - 1) AND \(column) = $\(parameters.count)::\(type)
                    """, parameters))
            }
        case .written(let writer):
            // The statement is written first (with the check's parameters); what it writes takes none.
            let sql = try runner.writtenSQL(writer, runner.values(of: check.parameters))
            return try runner.withSettings(check.settings + Self.oneRow) {
                collect(try session.execute("SELECT * FROM (\n\(sql)\n) finding WHERE \(column) = $1::\(type)", [value]))
            }
        case .perObject:
            // Objects (indexes, sequences) are not rows of a table `\row` shows.
            return ([], [])
        }
    }

    /// A check filtered to one row reads a few index entries: parallel workers would only add
    /// their start-up (tens of milliseconds) to it.
    static let oneRow = [QuerySetting("max_parallel_workers_per_gather", "0")]

    func collect(_ result: QueryResult) -> ([FindingColumn], [[String?]]) {
        (result.columns.map { FindingColumn(name: $0.name, typeOID: $0.typeOID) }, result.rows.map(\.values))
    }

    static func text(of error: any Error) -> String {
        if let server = error as? ServerError { return server.message }
        if let command = error as? CommandError { return command.message }
        if let transaction = error as? TransactionError { return transaction.description }
        return "\(error)"
    }
}
