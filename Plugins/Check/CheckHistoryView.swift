import ArgumentParser
import CurateChecks
import CurateKit

/// `\check --history` and `\check --diff`: the recorded runs, printed through the user's
/// renderer like a query result (`\pset` applies).
extension CheckCommand {
    func validateHistoryOptions() throws {
        if history && diff { throw ValidationError("--history and --diff cannot be used together") }
        if since != nil && !history { throw ValidationError("--since goes with --history") }
        if (history || diff) && (list || format != .table || output != nil || limit != nil || failOn != nil) {
            throw ValidationError("--history and --diff take only check names (and --since)")
        }
        if output != nil && format != .prometheus { throw ValidationError("--output goes with --format prometheus") }
    }

    /// `names`: the checks asked for (none: all that were recorded).
    func showHistory(names: [String], context: CommandContext) throws {
        let store = CheckHistoryStore(session: context.session, schema: CheckHistoryStore.schemaName(context.variables))
        let session = context.session
        // Only reads: in the user's transaction, a savepoint keeps a bad --since from ending it.
        let run: (() throws -> QueryResult) throws -> QueryResult = { body in
            session.transactionState == .inTransaction ? try session.savepoint(body) : try body()
        }
        guard try store.exists() else {
            throw CommandError("no check runs are recorded in this database yet (\(store.runTable) does not exist)",
                               hint: "run \\check; every run is recorded unless --no-record is given")
        }
        let namesArray = "{" + names.map { "\"" + $0.replacingOccurrencesOf("\\", with: "\\\\").replacingOccurrencesOf("\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
        if history {
            let result = try run { try session.execute(store.historySQL(), [namesArray, since]) }
            context.print(result)
            return
        }
        let result = try run { try session.execute(store.diffSQL(), [namesArray]) }
        // Per check: what changed, and whether only the first keys were compared.
        var summary: [(check: String, new: Int, still: Int, gone: Int, runs: String, truncated: Bool)] = []
        var rows: [[String?]] = []
        for row in result.rows {
            let check = row[0] ?? ""
            if summary.last?.check != check {
                let runs = row[3].map { "runs \($0) and \(row[4] ?? "")" } ?? "run \(row[4] ?? ""), no run before it"
                summary.append((check, 0, 0, 0, runs, row[5] == "t"))
            }
            guard let key = row[1] else { continue }
            switch row[2] {
            case "new": summary[summary.count - 1].new += 1
            case "gone": summary[summary.count - 1].gone += 1
            default: summary[summary.count - 1].still += 1
            }
            rows.append([check, key, row[2]])
        }
        for item in summary {
            var line = "\(item.check): \(item.new) new, \(item.still) still there, \(item.gone) gone (\(item.runs))"
            if item.truncated { line += "; only the first recorded keys of each run are compared" }
            context.console.print(line)
        }
        if summary.isEmpty {
            context.console.print("No recorded run to compare" + (names.isEmpty ? "." : " for " + names.joined(separator: ", ") + "."))
            return
        }
        context.printTable(columns: ["check", "key", "change"], rows: rows)
    }
}
