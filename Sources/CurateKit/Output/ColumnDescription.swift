/// A result column as the server describes it.
public struct ColumnDescription: Sendable, Equatable {
    public let name: String
    /// The type's OID (`pg_type.oid`), used to align numbers and to type JSON values.
    public let typeOID: UInt32

    public init(name: String, typeOID: UInt32) {
        self.name = name
        self.typeOID = typeOID
    }
}

/// Well-known type OIDs (from `pg_type.dat`; fixed across PostgreSQL versions).
public enum TypeOID {
    public static let bool: UInt32 = 16
    public static let bytea: UInt32 = 17
    public static let int8: UInt32 = 20
    public static let int2: UInt32 = 21
    public static let int4: UInt32 = 23
    public static let text: UInt32 = 25
    public static let oid: UInt32 = 26
    public static let xid: UInt32 = 28
    public static let cid: UInt32 = 29
    public static let json: UInt32 = 114
    public static let float4: UInt32 = 700
    public static let float8: UInt32 = 701
    public static let money: UInt32 = 790
    public static let numeric: UInt32 = 1700
    public static let xid8: UInt32 = 5069
    public static let jsonb: UInt32 = 3802

    /// psql right-aligns these in the aligned format (`column_type_alignment` in print.c).
    public static func isRightAligned(_ oid: UInt32) -> Bool {
        switch oid {
        case int2, int4, int8, float4, float8, numeric, TypeOID.oid, xid, xid8, cid, money: return true
        default: return false
        }
    }
}
