/// Column expressions several of psql's describe queries share, written as psql writes them.
enum DescribeColumns {
    /// psql's `printACLColumn`: an ACL array as one privilege a line. psql 18, on a server of 18
    /// or later, shows an empty (not NULL) array as "(none)", telling "no privileges at all" apart
    /// from "the default privileges".
    static func accessPrivileges(_ column: String, serverVersion: Int) -> String {
        if serverVersion >= 180000 {
            return "CASE WHEN pg_catalog.array_length(\(column), 1) = 0 THEN '(none)' ELSE "
                + "pg_catalog.array_to_string(\(column), E'\\n') END AS \"Access privileges\""
        }
        return "pg_catalog.array_to_string(\(column), E'\\n') AS \"Access privileges\""
    }
}
