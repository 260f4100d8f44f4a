import CurateKit

/// `\d SEQUENCE`: psql prints a sequence apart from other relations — one row of its parameters
/// (a query result, in the user's format) and the column that owns it as the footer.
enum SequenceDetails {
    static func print(oid: String, schema: String, name: String, unlogged: Bool, shell: Shell) throws {
        let version = shell.session.info.serverVersion
        var sql: String
        if version >= 100000 {
            sql = """
                SELECT pg_catalog.format_type(seqtypid, NULL) AS "Type",
                       seqstart AS "Start",
                       seqmin AS "Minimum",
                       seqmax AS "Maximum",
                       seqincrement AS "Increment",
                       CASE WHEN seqcycle THEN 'yes' ELSE 'no' END AS "Cycles?",
                       seqcache AS "Cache"
                FROM pg_catalog.pg_sequence
                WHERE seqrelid = '\(oid)';
                """
        } else {
            sql = """
                SELECT 'bigint' AS "Type",
                       start_value AS "Start",
                       min_value AS "Minimum",
                       max_value AS "Maximum",
                       increment_by AS "Increment",
                       CASE WHEN is_cycled THEN 'yes' ELSE 'no' END AS "Cycles?",
                       cache_value AS "Cache"
                FROM \(SQLIdentifier.quotedIfNeeded(schema)).\(SQLIdentifier.quotedIfNeeded(name));
                """
        }
        let parameters = try shell.describeQuery(sql)
        let owner = try shell.describeQuery("""
            SELECT pg_catalog.quote_ident(nspname) || '.' ||
               pg_catalog.quote_ident(relname) || '.' ||
               pg_catalog.quote_ident(attname),
               d.deptype
            FROM pg_catalog.pg_class c
            INNER JOIN pg_catalog.pg_depend d ON c.oid=d.refobjid
            INNER JOIN pg_catalog.pg_namespace n ON n.oid=c.relnamespace
            INNER JOIN pg_catalog.pg_attribute a ON (
             a.attrelid=c.oid AND
             a.attnum=d.refobjsubid)
            WHERE d.classid='pg_catalog.pg_class'::pg_catalog.regclass
             AND d.refclassid='pg_catalog.pg_class'::pg_catalog.regclass
             AND d.objid='\(oid)'
             AND d.deptype IN ('a', 'i')
            """)
        var footers: [String] = []
        if owner.rows.count == 1, let column = owner.rows[0][0] {
            switch owner.rows[0][1] {
            case "a": footers.append("Owned by: \(column)")
            case "i": footers.append("Sequence for identity column: \(column)")
            default: break
            }
        }
        let title = "\(unlogged ? "Unlogged sequence" : "Sequence") \"\(schema).\(name)\""
        shell.printDescribed(parameters, title: title, footers: footers, nullDisplay: nil)
    }
}
