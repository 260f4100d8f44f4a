import ArgumentParser
import CurateKit

/// `\dAo[+] [AMPTRN [OPFPTRN]]`: psql's `listOpFamilyOperators`.
struct ListOperatorFamilyOperatorsCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dAo", abstract: "List operators of operator families.")
    static let synopsis = "[AMPTRN [OPFPTRN]]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dAo")
        let methodPattern = arguments.describePattern()
        let familyPattern = methodPattern == nil ? nil : arguments.describePattern()
        let database = shell.session.info.database
        var query = SQLNamePattern(query: """
            SELECT
              am.amname AS "AM",
              CASE
                WHEN pg_catalog.pg_opfamily_is_visible(of.oid)
                THEN pg_catalog.format('%I', of.opfname)
                ELSE pg_catalog.format('%I.%I', nsf.nspname, of.opfname)
              END AS "Operator family",
              o.amopopr::pg_catalog.regoperator AS "Operator"
            ,  o.amopstrategy AS "Strategy",
              CASE o.amoppurpose
                WHEN 'o' THEN 'ordering'
                WHEN 's' THEN 'search'
              END AS "Purpose"

            """, serverVersion: shell.session.info.serverVersion)
        // psql 18 (servers of 18 on) shows whether the operator's function is leakproof.
        let showsLeakproof = modifiers.verbose && shell.session.info.serverVersion >= 180000
        if showsLeakproof {
            query.query += ", ofs.opfname AS \"Sort opfamily\",\n  CASE\n    WHEN p.proleakproof THEN 'yes'\n"
                + "    ELSE 'no'\n  END AS \"Leakproof?\"\n"
        } else if modifiers.verbose {
            query.query += ", ofs.opfname AS \"Sort opfamily\"\n"
        }
        query.query += """
            FROM pg_catalog.pg_amop o
              LEFT JOIN pg_catalog.pg_opfamily of ON of.oid = o.amopfamily
              LEFT JOIN pg_catalog.pg_am am ON am.oid = of.opfmethod AND am.oid = o.amopmethod
              LEFT JOIN pg_catalog.pg_namespace nsf ON of.opfnamespace = nsf.oid

            """
        if modifiers.verbose {
            query.query += "  LEFT JOIN pg_catalog.pg_opfamily ofs ON ofs.oid = o.amopsortfamily\n"
        }
        if showsLeakproof {
            query.query += "  LEFT JOIN pg_catalog.pg_operator op ON op.oid = o.amopopr\n"
                + "  LEFT JOIN pg_catalog.pg_proc p ON p.oid = op.oprcode\n"
        }
        var haveWhere = false
        if let methodPattern {
            haveWhere = try query.validate(
                methodPattern, haveWhere: false, schemaColumn: nil, nameColumn: "am.amname", visibilityRule: nil,
                maxParts: 1, database: database)
        }
        if let familyPattern {
            try query.validate(
                familyPattern, haveWhere: haveWhere, schemaColumn: "nsf.nspname", nameColumn: "of.opfname",
                visibilityRule: nil, maxParts: 3, database: database)
        }
        query.query += """
            ORDER BY 1, 2,
              o.amoplefttype = o.amoprighttype DESC,
              pg_catalog.format_type(o.amoplefttype, NULL),
              pg_catalog.format_type(o.amoprighttype, NULL),
              o.amopstrategy;
            """
        try shell.listDescribed(query.query, title: "List of operators of operator families")
    }
}
