import CurateKit

/// Reads the data blocks that follow the table of contents, each completely: a block is a type
/// byte (1 table data, 3 large objects), the entry's dump ID, then the data as chunks, each a
/// length and that many bytes, ended by a length of 0; a large-object block holds, per object,
/// its OID and its chunks, and ends with OID 0. Compressed data is inflated stream by stream
/// with zlib's own check. Each block's position and length is recorded.
struct CustomArchiveBlockReader {
    /// One data block as read.
    struct Block: Sendable, Equatable {
        var dumpID: Int
        var position: Int64
        var length: Int64
    }

    static let tableData: UInt8 = 1
    static let largeObjects: UInt8 = 3

    let header: CustomArchiveHeader
    let toc: CustomArchiveTOC

    init(header: CustomArchiveHeader, toc: CustomArchiveTOC) throws {
        switch header.compression {
        case .none, .gzip: break
        case .lz4, .zstd:
            throw CustomArchiveError("the archive's data is compressed with \(header.compression.rawValue), which curate cannot read (it is built without lib\(header.compression.rawValue)); back up with gzip compression (pg_dump's default)")
        }
        self.header = header
        self.toc = toc
    }

    /// Reads blocks to the end of the archive; every entry with data must have exactly one.
    func readAll(_ reader: ArchiveByteReader, cancelled: () -> Bool) throws -> [Block] {
        let entries = Dictionary(toc.entries.map { ($0.dumpID, $0) }, uniquingKeysWith: { first, _ in first })
        let inflater = header.compression == .gzip ? BlockInflater() : nil
        var blocks: [Block] = []
        var seen: Set<Int> = []
        while try !reader.atEnd() {
            if cancelled() { throw CommandCancelled() }
            let position = reader.position
            let type = try reader.byte()
            guard type == Self.tableData || type == Self.largeObjects else {
                throw CustomArchiveError("unknown block type \(type) at byte \(position) (damaged data, or bytes after the last block)")
            }
            let dumpID = try header.readInt(reader)
            guard let entry = entries[dumpID], entry.hasData else {
                throw CustomArchiveError("the block at byte \(position) belongs to entry \(dumpID), which has no data in the table of contents")
            }
            guard seen.insert(dumpID).inserted else {
                throw CustomArchiveError("a second block for entry \(dumpID) (\(entry.type) \(entry.tag)) at byte \(position)")
            }
            let name = "entry \(dumpID) (\(entry.type) \(entry.tag))"
            do {
                if type == Self.tableData {
                    try readStream(reader, inflater: inflater)
                } else {
                    while true {
                        let oid = try header.readInt(reader)
                        if oid == 0 { break }
                        guard oid > 0 else { throw CustomArchiveError("a negative large object OID \(oid)") }
                        try readStream(reader, inflater: inflater)
                    }
                }
            } catch let error as CustomArchiveError {
                throw CustomArchiveError("the data of \(name), block at byte \(position): \(error.description)")
            }
            blocks.append(Block(dumpID: dumpID, position: position, length: reader.position - position))
        }
        let missing = toc.entries.filter { $0.hasData && !seen.contains($0.dumpID) }
        if let first = missing.first {
            throw CustomArchiveError("no data block for entry \(first.dumpID) (\(first.type) \(first.tag))" + (missing.count > 1 ? " and \(missing.count - 1) more" : "") + " (truncated)")
        }
        return blocks
    }

    /// The chunks of one stream, to the length 0 that ends them.
    private func readStream(_ reader: ArchiveByteReader, inflater: BlockInflater?) throws {
        try inflater?.begin()
        while true {
            let length = try header.readInt(reader)
            if length == 0 { break }
            guard length > 0 else { throw CustomArchiveError("a negative chunk length \(length)") }
            if let inflater {
                try reader.pass(length) { try inflater.feed($0) }
            } else {
                try reader.pass(length) { _ in }
            }
        }
        try inflater?.finish()
    }
}

