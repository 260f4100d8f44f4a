import ArgumentParser
import CurateKit

/// `\dP[itn+] [PATTERN]`: psql's `listPartitionedTables` — partitioned tables (`t`) and indexes
/// (`i`), the top-level ones unless `n` (nested) or a pattern, with sizes under `+`.
struct ListPartitionedRelationsCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dP", abstract: "List partitioned relations.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["t", "i", "n", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let letters = String(name.dropFirst(2))
        let pattern = arguments.next(semicolon: true)?.value
        let version = shell.session.info.serverVersion
        guard version >= 100000 else {
            shell.reportSlashMessage(
                "The server (version \(shell.session.info.serverVersionString)) does not support declarative table partitioning.")
            return
        }
        let verbose = letters.contains("+")
        var showTables = letters.contains("t"), showIndexes = letters.contains("i")
        let showNested = letters.contains("n")
        if !showTables && !showIndexes { showTables = true; showIndexes = true }
        let title: String
        var mixed = false
        if showIndexes && !showTables {
            title = "List of partitioned indexes"
        } else if showTables && !showIndexes {
            title = "List of partitioned tables"
        } else {
            title = "List of partitioned relations"
            mixed = true
        }
        var query = SQLNamePattern(query: """
            SELECT n.nspname as "Schema",
              c.relname as "Name",
              pg_catalog.pg_get_userbyid(c.relowner) as "Owner"
            """, serverVersion: version)
        if mixed {
            query.query += ",\n  CASE c.relkind WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as \"Type\""
        }
        if showNested || pattern != nil { query.query += ",\n  inh.inhparent::pg_catalog.regclass as \"Parent name\"" }
        if showIndexes { query.query += ",\n c2.oid::pg_catalog.regclass as \"Table\"" }
        // psql 18 shows the access method of partitioned relations (which PostgreSQL 18 lets them have).
        let showsAccessMethod = verbose && version >= 180000
        if showsAccessMethod { query.query += ",\n  am.amname as \"Access method\"" }
        if verbose {
            if showNested {
                query.query += ",\n  s.dps as \"Leaf partition size\""
                query.query += ",\n  s.tps as \"Total size\""
            } else {
                // The sizes of all partitions.
                query.query += ",\n  s.tps as \"Total size\""
            }
            query.query += ",\n  pg_catalog.obj_description(c.oid, 'pg_class') as \"Description\""
        }
        query.query += "\nFROM pg_catalog.pg_class c\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        if showIndexes {
            query.query += "\n     LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid"
                + "\n     LEFT JOIN pg_catalog.pg_class c2 ON i.indrelid = c2.oid"
        }
        if showNested || pattern != nil {
            query.query += "\n     LEFT JOIN pg_catalog.pg_inherits inh ON c.oid = inh.inhrelid"
        }
        if showsAccessMethod { query.query += "\n     LEFT JOIN pg_catalog.pg_am am ON c.relam = am.oid" }
        if verbose {
            if version < 120000 {
                query.query += """
                    ,
                         LATERAL (WITH RECURSIVE d
                                    AS (SELECT inhrelid AS oid, 1 AS level
                                          FROM pg_catalog.pg_inherits
                                         WHERE inhparent = c.oid
                                        UNION ALL
                                        SELECT inhrelid, level + 1
                                          FROM pg_catalog.pg_inherits i
                                               JOIN d ON i.inhparent = d.oid)
                                    SELECT pg_catalog.pg_size_pretty(sum(pg_catalog.pg_table_size(d.oid))) AS tps,
                                           pg_catalog.pg_size_pretty(sum(
                                 CASE WHEN d.level = 1 THEN pg_catalog.pg_table_size(d.oid) ELSE 0 END)) AS dps
                                   FROM d) s
                    """
            } else {
                query.query += """
                    ,
                         LATERAL (SELECT pg_catalog.pg_size_pretty(sum(
                                     CASE WHEN ppt.isleaf AND ppt.level = 1
                                          THEN pg_catalog.pg_table_size(ppt.relid) ELSE 0 END)) AS dps,
                                         pg_catalog.pg_size_pretty(sum(pg_catalog.pg_table_size(ppt.relid))) AS tps
                                  FROM pg_catalog.pg_partition_tree(c.oid) ppt) s
                    """
            }
        }
        query.query += "\nWHERE c.relkind IN ("
        if showTables { query.query += "'p'," }
        if showIndexes { query.query += "'I'," }
        query.query += "'')\n"
        if !showNested && pattern == nil { query.query += " AND NOT c.relispartition\n" }
        if pattern == nil {
            query.query += "      AND n.nspname <> 'pg_catalog'\n      AND n.nspname !~ '^pg_toast'\n"
                + "      AND n.nspname <> 'information_schema'\n"
        }
        try query.validate(
            pattern, haveWhere: true, schemaColumn: "n.nspname", nameColumn: "c.relname",
            visibilityRule: "pg_catalog.pg_table_is_visible(c.oid)", maxParts: 3, database: shell.session.info.database)
        query.query += "ORDER BY \"Schema\", " + (mixed ? "\"Type\" DESC, " : "")
            + (showNested || pattern != nil ? "\"Parent name\" NULLS FIRST, " : "") + "\"Name\";"
        let result = try shell.describeQuery(query.query)
        shell.printDescribed(result, title: title)
    }
}
