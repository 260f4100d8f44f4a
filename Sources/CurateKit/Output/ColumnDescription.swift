/// A result column as the server describes it.
public struct ColumnDescription: Sendable, Equatable {
    /// The column's name as the query gave it (`AS` alias, or the server's `?column?`).
    public let name: String
    /// The type's OID (`pg_type.oid`), used to align numbers and to type JSON values.
    public let typeOID: UInt32

    /// A column of your own, e.g. for a renderer fed by a command (``TypeOID/text`` for plain text).
    public init(name: String, typeOID: UInt32) {
        self.name = name
        self.typeOID = typeOID
    }
}

/// Well-known type OIDs (from `pg_type.dat`; fixed across PostgreSQL versions).
public enum TypeOID {
    /// `boolean`
    public static let bool: UInt32 = 16
    /// `bytea`
    public static let bytea: UInt32 = 17
    /// `bigint`
    public static let int8: UInt32 = 20
    /// `smallint`
    public static let int2: UInt32 = 21
    /// `integer`
    public static let int4: UInt32 = 23
    /// `text`
    public static let text: UInt32 = 25
    /// `oid`
    public static let oid: UInt32 = 26
    /// `xid` (a transaction id)
    public static let xid: UInt32 = 28
    /// `cid` (a command id)
    public static let cid: UInt32 = 29
    /// `json`
    public static let json: UInt32 = 114
    /// `real`
    public static let float4: UInt32 = 700
    /// `double precision`
    public static let float8: UInt32 = 701
    /// `money`
    public static let money: UInt32 = 790
    /// `numeric`
    public static let numeric: UInt32 = 1700
    /// `xid8` (a 64-bit transaction id)
    public static let xid8: UInt32 = 5069
    /// `jsonb`
    public static let jsonb: UInt32 = 3802

    /// psql right-aligns these in the aligned format (`column_type_alignment` in print.c).
    public static func isRightAligned(_ oid: UInt32) -> Bool {
        switch oid {
        case int2, int4, int8, float4, float8, numeric, TypeOID.oid, xid, xid8, cid, money: return true
        default: return false
        }
    }
}
