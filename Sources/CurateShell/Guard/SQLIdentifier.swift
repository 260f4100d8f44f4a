/// How a name is written in SQL: bare when PostgreSQL would read it back unchanged, otherwise in
/// double quotes (the rule of PostgreSQL's own `quote_ident`).
enum SQLIdentifier {
    /// `diskfile` stays `diskfile`; `ObsLog`, `exposure time`, `user` and `2mass` are quoted.
    static func quotedIfNeeded(_ name: String) -> String {
        needsQuotes(name) ? "\"" + name.replacing("\"", with: "\"\"") + "\"" : name
    }

    static func needsQuotes(_ name: String) -> Bool {
        guard let first = name.utf8.first, (first >= 97 && first <= 122) || first == UInt8(ascii: "_") else { return true }
        for byte in name.utf8 where !((byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "_")) {
            return true
        }
        return notUnreserved.contains(name)
    }

    /// The keywords that cannot be used as a bare name everywhere: PostgreSQL's reserved,
    /// column-name and type/function-name keywords (`src/include/parser/kwlist.h`).
    static let notUnreserved: Set<String> = [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
        "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character",
        "check", "coalesce", "collate", "collation", "column", "concurrently", "constraint", "create",
        "cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time",
        "current_timestamp", "current_user", "dec", "decimal", "default", "deferrable", "desc",
        "distinct", "do", "else", "end", "except", "exists", "extract", "false", "fetch", "float", "for",
        "foreign", "freeze", "from", "full", "grant", "greatest", "group", "grouping", "having", "ilike",
        "in", "initially", "inner", "inout", "int", "integer", "intersect", "interval", "into", "is",
        "isnull", "join", "json", "json_array", "json_arrayagg", "json_exists", "json_object",
        "json_objectagg", "json_query", "json_scalar", "json_serialize", "json_table", "json_value",
        "lateral", "leading", "least", "left", "like", "limit", "localtime", "localtimestamp",
        "merge_action", "national", "natural", "nchar", "none", "normalize", "not", "notnull", "null",
        "nullif", "numeric", "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay",
        "placing", "position", "precision", "primary", "real", "references", "returning", "right", "row",
        "select", "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric",
        "system_user", "table", "tablesample", "then", "time", "timestamp", "to", "trailing", "treat",
        "trim", "true", "union", "unique", "user", "using", "values", "varchar", "variadic", "verbose",
        "when", "where", "window", "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists",
        "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable",
    ]
}
