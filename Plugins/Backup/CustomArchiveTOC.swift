/// The table of contents of a custom-format archive (pg_dump's `ReadToc` with the custom
/// format's extra field, the data offset): its entries and where each offset field lies, since
/// pg_dump writes the table of contents twice, the second time with the offsets filled in.
public struct CustomArchiveTOC: Sendable, Equatable {
    /// Where an entry's data block is, as the offset field says (pg_dump's K_OFFSET_* flags).
    public enum DataState: Sendable, Equatable {
        /// The entry has data, its position not yet written (the first writing of the table).
        case positionNotSet
        /// The entry's data block starts at this byte.
        case position(Int64)
        /// The entry has no data block.
        case noData
    }

    public struct Entry: Sendable, Equatable {
        public var dumpID: Int
        /// "TABLE DATA", "BLOBS", "INDEX", ...
        public var type: String
        public var tag: String
        public var schema: String?
        public var owner: String?
        public var dataState: DataState
        /// The position in the file of the offset field (its flag byte), and its length.
        public var offsetFieldPosition: Int64
        public var offsetFieldLength: Int

        /// Whether pg_dump writes a data block for the entry.
        public var hasData: Bool { dataState != .noData }
    }

    public var entries: [Entry]
    /// The position of the first byte after the table of contents (the first data block).
    public var end: Int64

    init(entries: [Entry], end: Int64) {
        self.entries = entries
        self.end = end
    }

    /// Reads the table of contents that follows the header.
    init(reading reader: ArchiveByteReader, header: CustomArchiveHeader) throws {
        let count = try header.readInt(reader)
        guard count >= 0 else { throw CustomArchiveError("negative entry count \(count) in the table of contents") }
        var entries: [Entry] = []
        for number in 0..<count {
            let dumpID = try header.readInt(reader)
            guard dumpID > 0 else {
                throw CustomArchiveError("entry \(number + 1) of the table of contents has ID \(dumpID) (a damaged table of contents)")
            }
            _ = try header.readInt(reader)  // whether pg_dump had a data dumper for it
            _ = try header.readString(reader)  // catalog table OID
            _ = try header.readString(reader)  // OID
            let tag = try header.readString(reader) ?? ""
            let type = try header.readString(reader) ?? ""
            _ = try header.readInt(reader)  // section
            _ = try header.readString(reader)  // definition
            _ = try header.readString(reader)  // DROP statement
            _ = try header.readString(reader)  // COPY statement
            let schema = try header.readString(reader)
            _ = try header.readString(reader)  // tablespace
            _ = try header.readString(reader)  // table access method
            if header.minor >= 16 { _ = try header.readInt(reader) }  // relation kind
            let owner = try header.readString(reader)
            _ = try header.readString(reader)  // "with OIDs", always "false" now
            // Dependencies: dump IDs as strings, ended by NULL.
            while try header.readString(reader) != nil {}
            let fieldPosition = reader.position
            let flag = try reader.byte()
            var offset: Int64 = 0
            for index in 0..<header.offsetSize {
                offset |= Int64(try reader.byte()) << (8 * Int64(index))
            }
            let state: DataState
            switch flag {
            case 1: state = .positionNotSet
            case 2: state = .position(offset)
            case 3: state = .noData
            default:
                throw CustomArchiveError("entry \(dumpID) (\(type) \(tag)) has an unknown data offset flag \(flag) (a damaged table of contents)")
            }
            entries.append(Entry(dumpID: dumpID, type: type, tag: tag, schema: schema, owner: owner, dataState: state,
                                 offsetFieldPosition: fieldPosition, offsetFieldLength: 1 + header.offsetSize))
        }
        self.entries = entries
        end = reader.position
    }
}
