import CurateKit
import Foundation

/// The recovered rows against the live ones, by primary key: rows only in the recovered copy
/// (deleted since), only live (added since), and changed. Computed inside the scratch cluster,
/// which is thrown away: the live rows are loaded there into a temporary table.
struct RecoveredRowsDiff {
    struct Category {
        var name: String
        var count: Int
        /// Up to ten primary keys.
        var sample: [String]
    }

    let table: String
    let recovered: Int
    let live: Int
    let categories: [Category]
    let primaryKey: [String]

    static let separator = "\u{1f}"

    /// `scratch` runs psql on the scratch cluster with the arguments and standard input.
    static func compute(table: String, condition: String?, liveRows: String,
                        scratch: ([String], ClientProgram.Input) throws -> ClientProgram.Result) throws -> RecoveredRowsDiff {
        let keyQuery = try scratch(["-X", "-A", "-t", "-q", "-c", """
            SELECT quote_ident(a.attname) FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = '\(table.replacingOccurrences(of: "'", with: "''"))'::regclass AND i.indisprimary ORDER BY k.ord
            """], .null)
        let key = keyQuery.stdoutText.split(separator: "\n").map(String.init)
        guard keyQuery.succeeded, !key.isEmpty else {
            throw CommandError("\(table) has no primary key, so rows cannot be matched")
        }
        let recoveredSet = "SELECT * FROM \(table)" + (condition.map { " WHERE \($0)" } ?? "")
        let match = key.map { "r.\($0) = l.\($0)" }.joined(separator: " AND ")
        let keyText = { (alias: String) in
            key.count == 1 ? "\(alias).\(key[0])::text" : "'(' || concat_ws(', ', " + key.map { "\(alias).\($0)" }.joined(separator: ", ") + ") || ')'"
        }
        let sql = """
            WITH r AS (\(recoveredSet)), l AS (SELECT * FROM pg_temp.curate_live),
            only_recovered AS (SELECT \(keyText("r")) AS k FROM r WHERE NOT EXISTS (SELECT 1 FROM l WHERE \(match)) ORDER BY \(key.map { "r.\($0)" }.joined(separator: ", "))),
            only_live AS (SELECT \(keyText("l")) AS k FROM l WHERE NOT EXISTS (SELECT 1 FROM r WHERE \(match)) ORDER BY \(key.map { "l.\($0)" }.joined(separator: ", "))),
            changed AS (SELECT \(keyText("r")) AS k FROM r JOIN l ON \(match) WHERE to_jsonb(r) IS DISTINCT FROM to_jsonb(l) ORDER BY \(key.map { "r.\($0)" }.joined(separator: ", ")))
            SELECT 'counts', (SELECT count(*) FROM r)::text, (SELECT count(*) FROM l)::text
            UNION ALL SELECT 'only in the recovered copy', (SELECT count(*) FROM only_recovered)::text, (SELECT string_agg(k, chr(30)) FROM (SELECT k FROM only_recovered LIMIT 10) s)
            UNION ALL SELECT 'only live', (SELECT count(*) FROM only_live)::text, (SELECT string_agg(k, chr(30)) FROM (SELECT k FROM only_live LIMIT 10) s)
            UNION ALL SELECT 'changed', (SELECT count(*) FROM changed)::text, (SELECT string_agg(k, chr(30)) FROM (SELECT k FROM changed LIMIT 10) s)
            """
        let result = try scratch(["-X", "-A", "-t", "-q", "-F", separator, "-v", "ON_ERROR_STOP=1",
                                  "-c", "CREATE TEMP TABLE curate_live (LIKE \(table))",
                                  "-c", "COPY pg_temp.curate_live FROM STDIN",
                                  "-c", sql], .file(liveRows))
        guard result.succeeded else {
            throw CommandError("comparing with the live rows failed (has the table's definition changed since?): "
                               + (result.stderrText.split(separator: "\n").first.map(String.init) ?? ""))
        }
        var recovered = 0
        var live = 0
        var categories: [Category] = []
        for line in result.stdoutText.split(separator: "\n") {
            let fields = line.split(separator: Character(separator), omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { continue }
            if fields[0] == "counts" {
                recovered = Int(fields[1]) ?? 0
                live = Int(fields[2]) ?? 0
            } else {
                categories.append(Category(name: fields[0], count: Int(fields[1]) ?? 0,
                                           sample: fields[2].split(separator: "\u{1e}").map(String.init)))
            }
        }
        return RecoveredRowsDiff(table: table, recovered: recovered, live: live, categories: categories, primaryKey: key)
    }

    func print(context: CommandContext) {
        context.console.print("compared by primary key (\(primaryKey.joined(separator: ", "))) with the live \(table): \(recovered) recovered, \(live) live")
        var rows: [[String?]] = []
        for category in categories {
            let more = category.count > category.sample.count ? " …" : ""
            rows.append([category.name, String(category.count), category.sample.joined(separator: " ") + more])
        }
        context.printTable(columns: ["Rows", "Count", "Keys (first 10)"], rows: rows)
    }
}
