import ArgumentParser
import CurateKit

/// `\dAf[+] [AMPTRN [TYPEPTRN]]`: psql's `listOperatorFamilies`.
struct ListOperatorFamiliesCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dAf", abstract: "List operator families.")
    static let synopsis = "[AMPTRN [TYPEPTRN]]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dAf")
        let methodPattern = arguments.describePattern()
        let typePattern = methodPattern == nil ? nil : arguments.describePattern()
        let database = shell.session.info.database
        var query = SQLNamePattern(query: """
            SELECT
              am.amname AS "AM",
              CASE
                WHEN pg_catalog.pg_opfamily_is_visible(f.oid)
                THEN pg_catalog.format('%I', f.opfname)
                ELSE pg_catalog.format('%I.%I', n.nspname, f.opfname)
              END AS "Operator family",
              (SELECT
                 pg_catalog.string_agg(pg_catalog.format_type(oc.opcintype, NULL), ', ')
               FROM pg_catalog.pg_opclass oc
               WHERE oc.opcfamily = f.oid) "Applicable types"
            """, serverVersion: shell.session.info.serverVersion)
        if modifiers.verbose {
            query.query += ",\n  pg_catalog.pg_get_userbyid(f.opfowner) AS \"Owner\"\n"
        }
        query.query += """

            FROM pg_catalog.pg_opfamily f
              LEFT JOIN pg_catalog.pg_am am on am.oid = f.opfmethod
              LEFT JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace

            """
        var haveWhere = false
        if let methodPattern {
            haveWhere = try query.validate(
                methodPattern, haveWhere: false, schemaColumn: nil, nameColumn: "am.amname", visibilityRule: nil,
                maxParts: 1, database: database)
        }
        if let typePattern {
            query.query += """
                  \(haveWhere ? "AND" : "WHERE") EXISTS (
                    SELECT 1
                    FROM pg_catalog.pg_type t
                    JOIN pg_catalog.pg_opclass oc ON oc.opcintype = t.oid
                    LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
                    WHERE oc.opcfamily = f.oid

                """
            try query.validate(
                typePattern, haveWhere: true, schemaColumn: "tn.nspname", nameColumn: "t.typname",
                alternateNameColumn: "pg_catalog.format_type(t.oid, NULL)",
                visibilityRule: "pg_catalog.pg_type_is_visible(t.oid)", maxParts: 3, database: database)
            query.query += "  )\n"
        }
        query.query += "ORDER BY 1, 2;"
        try shell.listDescribed(query.query, title: "List of operator families")
    }
}
