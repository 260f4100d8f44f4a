/// One thing a statement would do that cannot be taken back easily: what the guard asks about.
struct DestructiveAction: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case deleteWithoutWhere, updateWithoutWhere, drop, truncate, alterTableDrop
    }

    var kind: Kind
    /// The table(s) affected, for counting rows: the names PostgreSQL resolves (an unquoted name
    /// folded to lower case, a quoted one without its quotes), `schema.table` when written so.
    /// Empty when the object is not a table (`DROP FUNCTION`, `DROP SCHEMA`, ...).
    var tables: [String]
    /// A short human description: "DELETE without WHERE on diskfile", "DROP TABLE header",
    /// "TRUNCATE diskfile, header", "ALTER TABLE diskfile DROP COLUMN filesize".
    var summary: String
}
