import ArgumentParser
import CurateKit

/// `\dAc[+] [AMPTRN [TYPEPTRN]]`: psql's `listOperatorClasses`.
struct ListOperatorClassesCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dAc", abstract: "List operator classes.")
    static let synopsis = "[AMPTRN [TYPEPTRN]]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dAc")
        let methodPattern = arguments.describePattern()
        let typePattern = methodPattern == nil ? nil : arguments.describePattern()
        let database = shell.session.info.database
        var query = SQLNamePattern(query: """
            SELECT
              am.amname AS "AM",
              pg_catalog.format_type(c.opcintype, NULL) AS "Input type",
              CASE
                WHEN c.opckeytype <> 0 AND c.opckeytype <> c.opcintype
                THEN pg_catalog.format_type(c.opckeytype, NULL)
                ELSE NULL
              END AS "Storage type",
              CASE
                WHEN pg_catalog.pg_opclass_is_visible(c.oid)
                THEN pg_catalog.format('%I', c.opcname)
                ELSE pg_catalog.format('%I.%I', n.nspname, c.opcname)
              END AS "Operator class",
              (CASE WHEN c.opcdefault
                THEN 'yes'
                ELSE 'no'
              END) AS "Default?"
            """, serverVersion: shell.session.info.serverVersion)
        if modifiers.verbose {
            query.query += """
                ,
                  CASE
                    WHEN pg_catalog.pg_opfamily_is_visible(of.oid)
                    THEN pg_catalog.format('%I', of.opfname)
                    ELSE pg_catalog.format('%I.%I', ofn.nspname, of.opfname)
                  END AS "Operator family",
                 pg_catalog.pg_get_userbyid(c.opcowner) AS "Owner"

                """
        }
        query.query += """

            FROM pg_catalog.pg_opclass c
              LEFT JOIN pg_catalog.pg_am am on am.oid = c.opcmethod
              LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace
              LEFT JOIN pg_catalog.pg_type t ON t.oid = c.opcintype
              LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace

            """
        if modifiers.verbose {
            query.query += """
                  LEFT JOIN pg_catalog.pg_opfamily of ON of.oid = c.opcfamily
                  LEFT JOIN pg_catalog.pg_namespace ofn ON ofn.oid = of.opfnamespace

                """
        }
        var haveWhere = false
        if let methodPattern {
            haveWhere = try query.validate(
                methodPattern, haveWhere: false, schemaColumn: nil, nameColumn: "am.amname", visibilityRule: nil,
                maxParts: 1, database: database)
        }
        if let typePattern {
            try query.validate(
                typePattern, haveWhere: haveWhere, schemaColumn: "tn.nspname", nameColumn: "t.typname",
                alternateNameColumn: "pg_catalog.format_type(t.oid, NULL)",
                visibilityRule: "pg_catalog.pg_type_is_visible(t.oid)", maxParts: 3, database: database)
        }
        query.query += "ORDER BY 1, 2, 4;"
        try shell.listDescribed(query.query, title: "List of operator classes")
    }
}
