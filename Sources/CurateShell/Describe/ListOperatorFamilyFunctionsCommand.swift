import ArgumentParser
import CurateKit

/// `\dAp[+] [AMPTRN [OPFPTRN]]`: psql's `listOpFamilyFunctions`.
struct ListOperatorFamilyFunctionsCommand: SlashCommand {
    static let configuration = CommandConfiguration(
        commandName: "dAp", abstract: "List support functions of operator families.")
    static let synopsis = "[AMPTRN [OPFPTRN]]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dAp")
        let methodPattern = arguments.describePattern()
        let familyPattern = methodPattern == nil ? nil : arguments.describePattern()
        let database = shell.session.info.database
        var query = SQLNamePattern(query: """
            SELECT
              am.amname AS "AM",
              CASE
                WHEN pg_catalog.pg_opfamily_is_visible(of.oid)
                THEN pg_catalog.format('%I', of.opfname)
                ELSE pg_catalog.format('%I.%I', ns.nspname, of.opfname)
              END AS "Operator family",
              pg_catalog.format_type(ap.amproclefttype, NULL) AS "Registered left type",
              pg_catalog.format_type(ap.amprocrighttype, NULL) AS "Registered right type",
              ap.amprocnum AS "Number"

            """, serverVersion: shell.session.info.serverVersion)
        query.query += modifiers.verbose
            ? ", ap.amproc::pg_catalog.regprocedure AS \"Function\"\n" : ", p.proname AS \"Function\"\n"
        query.query += """
            FROM pg_catalog.pg_amproc ap
              LEFT JOIN pg_catalog.pg_opfamily of ON of.oid = ap.amprocfamily
              LEFT JOIN pg_catalog.pg_am am ON am.oid = of.opfmethod
              LEFT JOIN pg_catalog.pg_namespace ns ON of.opfnamespace = ns.oid
              LEFT JOIN pg_catalog.pg_proc p ON ap.amproc = p.oid

            """
        var haveWhere = false
        if let methodPattern {
            haveWhere = try query.validate(
                methodPattern, haveWhere: false, schemaColumn: nil, nameColumn: "am.amname", visibilityRule: nil,
                maxParts: 1, database: database)
        }
        if let familyPattern {
            try query.validate(
                familyPattern, haveWhere: haveWhere, schemaColumn: "ns.nspname", nameColumn: "of.opfname",
                visibilityRule: nil, maxParts: 3, database: database)
        }
        query.query += """
            ORDER BY 1, 2,
              ap.amproclefttype = ap.amprocrighttype DESC,
              3, 4, 5;
            """
        try shell.listDescribed(query.query, title: "List of support functions of operator families")
    }
}
