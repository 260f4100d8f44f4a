/// Column expressions several of psql's describe queries share, written as psql writes them.
enum DescribeColumns {
    /// psql's `printACLColumn`: an ACL array as one privilege a line.
    static func accessPrivileges(_ column: String) -> String {
        "pg_catalog.array_to_string(\(column), E'\\n') AS \"Access privileges\""
    }
}
