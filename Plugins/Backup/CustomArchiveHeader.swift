/// The header of a custom-format archive (pg_dump's `ReadHead`): the magic "PGDMP", the format
/// version, the sizes of integers and offsets, the compression of the data blocks, and the
/// database and versions it came from.
public struct CustomArchiveHeader: Sendable, Equatable {
    /// How the data blocks are compressed.
    public enum Compression: String, Sendable {
        case none, gzip, lz4, zstd
    }

    public var major: UInt8
    public var minor: UInt8
    public var revision: UInt8
    public var intSize: Int
    public var offsetSize: Int
    public var compression: Compression
    public var database: String
    public var serverVersion: String
    public var pgDumpVersion: String

    /// "1.14".
    public var version: String { "\(major).\(minor)" }

    /// The versions pg_dump 13 to 18 write: 1.14 (13 to 15), 1.15 (16: the compression is named
    /// by an algorithm byte), 1.16 (17 and 18: a relation kind in each entry).
    static let readable: ClosedRange<Int> = 14...16

    /// The custom format's number in the header (pg_dump's archCustom).
    static let customFormat: UInt8 = 1

    init(major: UInt8, minor: UInt8, revision: UInt8, intSize: Int, offsetSize: Int, compression: Compression,
         database: String, serverVersion: String, pgDumpVersion: String) {
        self.major = major
        self.minor = minor
        self.revision = revision
        self.intSize = intSize
        self.offsetSize = offsetSize
        self.compression = compression
        self.database = database
        self.serverVersion = serverVersion
        self.pgDumpVersion = pgDumpVersion
    }

    /// Reads the header from the start of the archive.
    init(reading reader: ArchiveByteReader) throws {
        guard try reader.bytes(5) == Array("PGDMP".utf8) else {
            throw CustomArchiveError("not a custom-format archive: the file does not start with PGDMP")
        }
        major = try reader.byte()
        minor = try reader.byte()
        revision = try reader.byte()
        guard major == 1, Self.readable.contains(Int(minor)) else {
            throw CustomArchiveError("unsupported archive version \(major).\(minor) in the header (pg_dump 13 to 18 write 1.14 to 1.16)")
        }
        intSize = Int(try reader.byte())
        offsetSize = Int(try reader.byte())
        guard (1...8).contains(intSize), (1...8).contains(offsetSize) else {
            throw CustomArchiveError("impossible integer or offset size (\(intSize), \(offsetSize)) in the header")
        }
        let format = try reader.byte()
        guard format == Self.customFormat else {
            throw CustomArchiveError("the header names archive format \(format), not the custom format (1)")
        }
        // Partial values: `readInt` needs the sizes just read.
        compression = .none
        database = ""
        serverVersion = ""
        pgDumpVersion = ""
        if minor >= 15 {
            switch try reader.byte() {
            case 0: compression = .none
            case 1: compression = .gzip
            case 2: compression = .lz4
            case 3: compression = .zstd
            case let other: throw CustomArchiveError("unknown compression algorithm \(other) in the header")
            }
        } else {
            // Before 1.15 a zlib level: 0 is none, anything else (-1 is zlib's default) gzip.
            compression = try readInt(reader) == 0 ? .none : .gzip
        }
        // The creation time: seconds, minutes, hours, day, month, year, daylight saving.
        for _ in 0..<7 { _ = try readInt(reader) }
        database = try readString(reader) ?? ""
        serverVersion = try readString(reader) ?? ""
        pgDumpVersion = try readString(reader) ?? ""
    }

    /// pg_dump's `ReadInt`: a sign byte, then `intSize` bytes, least significant first.
    func readInt(_ reader: ArchiveByteReader) throws -> Int {
        let negative = try reader.byte() != 0
        var value = 0
        for index in 0..<intSize {
            value |= Int(try reader.byte()) << (8 * index)
        }
        return negative ? -value : value
    }

    /// pg_dump's `ReadStr`: a length (`readInt`), -1 for NULL, then that many bytes.
    func readString(_ reader: ArchiveByteReader) throws -> String? {
        let length = try readInt(reader)
        if length < 0 { return nil }
        return String(decoding: try reader.bytes(length), as: UTF8.self)
    }
}
