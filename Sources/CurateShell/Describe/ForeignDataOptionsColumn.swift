/// psql's "FDW options" column of its SQL/MED listings (`\des+`, `\det+`, `\deu+`, `\dew+`):
/// an options array shown as `(name 'value', ...)`, written as psql writes it.
enum ForeignDataOptionsColumn {
    static func sql(_ column: String) -> String {
        "CASE WHEN \(column) IS NULL THEN '' ELSE   '(' || pg_catalog.array_to_string(ARRAY(SELECT   "
            + "pg_catalog.quote_ident(option_name) ||  ' ' ||   pg_catalog.quote_literal(option_value)  FROM   "
            + "pg_catalog.pg_options_to_table(\(column))),  ', ') || ')'   END AS \"FDW options\""
    }
}
