import ArgumentParser
import CurateKit

/// psql's `listTables`: the "List of relations" (psql 18: "List of tables" etc. for one kind) of the kinds named by letters — `t` tables,
/// `i` indexes, `v` views, `m` materialized views, `s` sequences, `E` foreign tables, in any
/// combination (`\dtv`, `\dti+`); none of them means `tvmsE`.
enum RelationList {
    static func list(kinds: String, pattern: String?, modifiers: DescribeModifiers, shell: Shell) throws {
        var showTables = kinds.contains("t"), showIndexes = kinds.contains("i"), showViews = kinds.contains("v")
        var showMaterializedViews = kinds.contains("m"), showSequences = kinds.contains("s"), showForeign = kinds.contains("E")
        if !(showTables || showIndexes || showViews || showMaterializedViews || showSequences || showForeign) {
            showTables = true; showViews = true; showMaterializedViews = true; showSequences = true; showForeign = true
        }
        let version = shell.session.info.serverVersion
        let hidesAccessMethod = shell.variables.bool("HIDE_TABLEAM", default: false)
        let showsAccessMethod = version >= 120000 && !hidesAccessMethod && (showTables || showMaterializedViews || showIndexes)
        var query = SQLNamePattern(query: """
            SELECT n.nspname as "Schema",
              c.relname as "Name",
              CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' \
            WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' \
            WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type",
              pg_catalog.pg_get_userbyid(c.relowner) as "Owner"
            """, serverVersion: version)
        if showIndexes { query.query += ",\n  c2.relname as \"Table\"" }
        if modifiers.verbose {
            query.query += ",\n  CASE c.relpersistence WHEN 'p' THEN 'permanent' WHEN 't' THEN 'temporary' "
                + "WHEN 'u' THEN 'unlogged' END as \"Persistence\""
            if showsAccessMethod { query.query += ",\n  am.amname as \"Access method\"" }
            query.query += ",\n  pg_catalog.pg_size_pretty(pg_catalog.pg_table_size(c.oid)) as \"Size\""
                + ",\n  pg_catalog.obj_description(c.oid, 'pg_class') as \"Description\""
        }
        query.query += "\nFROM pg_catalog.pg_class c\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        if showsAccessMethod { query.query += "\n     LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam" }
        if showIndexes {
            query.query += "\n     LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid"
                + "\n     LEFT JOIN pg_catalog.pg_class c2 ON i.indrelid = c2.oid"
        }
        let system = modifiers.system
        query.query += "\nWHERE c.relkind IN ("
        if showTables {
            query.query += "'r','p',"
            // With S or a pattern, `t` finds TOAST tables too.
            if system || pattern != nil { query.query += "'t'," }
        }
        if showViews { query.query += "'v'," }
        if showMaterializedViews { query.query += "'m'," }
        if showIndexes { query.query += "'i','I'," }
        if showSequences { query.query += "'S'," }
        if system || pattern != nil { query.query += "'s'," }
        if showForeign { query.query += "'f'," }
        query.query += "'')\n"
        if !system && pattern == nil {
            query.query += "      AND n.nspname <> 'pg_catalog'\n      AND n.nspname !~ '^pg_toast'\n"
                + "      AND n.nspname <> 'information_schema'\n"
        }
        try query.validate(
            pattern, haveWhere: true, schemaColumn: "n.nspname", nameColumn: "c.relname",
            visibilityRule: "pg_catalog.pg_table_is_visible(c.oid)", maxParts: 3, database: shell.session.info.database)
        query.query += "ORDER BY 1,2;"
        let result = try shell.describeQuery(query.query)
        // psql's exception among its lists: nothing found is said, not printed as an empty table
        // (except under QUIET, where the empty table is printed).
        // psql 18 (servers of 18 on) names the one kind asked for: "List of tables", "views", ...
        let noun: String
        if version >= 180000 {
            let kinds: [(Bool, String)] = [
                (showTables, "tables"), (showIndexes, "indexes"), (showViews, "views"),
                (showMaterializedViews, "materialized views"), (showSequences, "sequences"), (showForeign, "foreign tables"),
            ]
            let shown = kinds.filter { $0.0 }
            noun = shown.count == 1 ? shown[0].1 : "relations"
        } else {
            noun = "relations"
        }
        if result.rows.isEmpty && !shell.isQuiet {
            let named = version >= 180000 ? noun : "relation"
            shell.reportSlashMessage(pattern.map { "Did not find any \(named) named \"\($0)\"." } ?? "Did not find any \(noun).")
            return
        }
        shell.printDescribed(result, title: "List of \(noun)")
    }
}

/// The letters `\dt` and its siblings take after their name: more kinds, `S` and `+`.
private let relationListModifiers: Set<Character> = ["S", "+", "t", "i", "v", "m", "s", "E"]

/// Runs psql's `listTables` for a command whose name after `\d` gives the kinds (`\dtv+`).
private func runRelationList(base: String, name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
    let modifiers = DescribeModifiers(typed: name, base: base)
    let pattern = arguments.next(semicolon: true)?.value
    try RelationList.list(kinds: String(name.dropFirst()), pattern: pattern, modifiers: modifiers, shell: shell)
}

/// psql's relation lists, one command per first letter (`\dt`, `\di`, `\ds`, `\dv`, `\dm`,
/// `\dE`): each is `runRelationList` under its own name, more letters combining kinds (`\dtv`).
protocol RelationListCommand: SlashCommand {}

extension RelationListCommand {
    static var synopsis: String { "[PATTERN]" }
    static var nameModifiers: Set<Character> { relationListModifiers }
    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try runRelationList(base: configuration.commandName!, name: name, arguments: &arguments, shell: shell)
    }
}

/// `\dt[S+] [PATTERN]`: tables (and other kinds by more letters: `\dtv`).
struct ListTablesCommand: RelationListCommand {
    static let configuration = CommandConfiguration(commandName: "dt", abstract: "List tables.")
}

/// `\di[S+] [PATTERN]`: indexes, with their table.
struct ListIndexesCommand: RelationListCommand {
    static let configuration = CommandConfiguration(commandName: "di", abstract: "List indexes.")
}

/// `\ds[S+] [PATTERN]`: sequences.
struct ListSequencesCommand: RelationListCommand {
    static let configuration = CommandConfiguration(commandName: "ds", abstract: "List sequences.")
}

/// `\dv[S+] [PATTERN]`: views.
struct ListViewsCommand: RelationListCommand {
    static let configuration = CommandConfiguration(commandName: "dv", abstract: "List views.")
}

/// `\dm[S+] [PATTERN]`: materialized views.
struct ListMaterializedViewsCommand: RelationListCommand {
    static let configuration = CommandConfiguration(commandName: "dm", abstract: "List materialized views.")
}

/// `\dE[S+] [PATTERN]`: foreign tables.
struct ListForeignRelationsCommand: RelationListCommand {
    static let configuration = CommandConfiguration(commandName: "dE", abstract: "List foreign tables.")
}
