import ArgumentParser
import CurateKit

/// `\dt [PATTERN]`: the tables visible on the search path (or matching a LIKE-style pattern).
struct ListTablesCommand: CurateCommand {
    static let configuration = CommandConfiguration(commandName: "dt", abstract: "List tables, with their size and estimated row count.")

    @Argument(help: "Only tables whose name matches (* and ? as wildcards; schema.table allowed).")
    var pattern: String?

    func run(context: CommandContext) throws {
        var condition = "pg_catalog.pg_table_is_visible(c.oid)"
        var parameters: [String?] = []
        if let pattern {
            let parts = pattern.split(separator: ".", maxSplits: 1).map { Self.likePattern(String($0)) }
            if parts.count == 2 {
                condition = "n.nspname LIKE $1 AND c.relname LIKE $2"
                parameters = [parts[0], parts[1]]
            } else {
                condition += " AND c.relname LIKE $1"
                parameters = [parts[0]]
            }
        }
        let result = try context.session.execute("""
            SELECT n.nspname AS "Schema", c.relname AS "Name",
                   CASE c.relkind WHEN 'p' THEN 'partitioned table' ELSE 'table' END AS "Type",
                   pg_catalog.pg_get_userbyid(c.relowner) AS "Owner",
                   pg_catalog.pg_size_pretty(pg_catalog.pg_table_size(c.oid)) AS "Size",
                   GREATEST(c.reltuples, 0)::bigint AS "Rows (estimated)"
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p')
              AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
              AND \(condition)
            ORDER BY 1, 2
            """, parameters)
        if result.rows.isEmpty {
            context.console.printError(pattern.map { "Did not find any table named \"\($0)\"." } ?? "Did not find any tables.")
            return
        }
        context.print(result)
    }

    /// `*` and `?` as in psql patterns, everything else literal.
    static func likePattern(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "*": result += "%"
            case "?": result += "_"
            case "%", "_", "\\": result += "\\" + String(character)
            default: result.append(character)
            }
        }
        return result
    }
}
