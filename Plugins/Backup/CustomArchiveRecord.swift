import CurateKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What one front-to-back read of a custom-format archive saw: the header, the table of contents
/// (as read: while pg_dump writes, its offset fields are not yet filled in), the bytes of both,
/// the SHA-256 of everything after them, and each data block's position and length. Every block
/// was read completely and, when compressed, inflated with its stream's check.
public struct CustomArchiveRecord: Sendable {
    public var header: CustomArchiveHeader
    public var toc: CustomArchiveTOC
    /// The header and table of contents, byte for byte as read.
    var prefix: [UInt8]
    /// Of the bytes after the table of contents.
    var dataSHA256: String
    /// Of every byte read, when the read was asked for it (a finished file).
    var wholeSHA256: String?
    /// The number of bytes read.
    public var length: Int64
    var blocks: [CustomArchiveBlockReader.Block]

    /// Entries holding table rows.
    public var tableDataEntries: Int { toc.entries.filter { $0.type == "TABLE DATA" }.count }

    /// Reads the archive `reader` gives to its end.
    static func read(_ reader: ArchiveByteReader, cancelled: () -> Bool) throws -> CustomArchiveRecord {
        let header = try CustomArchiveHeader(reading: reader)
        let toc = try CustomArchiveTOC(reading: reader, header: header)
        reader.startData()
        let blocks = try CustomArchiveBlockReader(header: header, toc: toc).readAll(reader, cancelled: cancelled)
        return CustomArchiveRecord(header: header, toc: toc, prefix: reader.kept, dataSHA256: reader.dataDigest(),
                                   wholeSHA256: reader.wholeDigest(), length: reader.position, blocks: blocks)
    }

    /// Reads a finished archive file to its end (`\backup verify`): its offsets must be filled in.
    public static func read(file path: String, cancelled: @escaping () -> Bool = { false }) throws -> CustomArchiveRecord {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError(path: path, operation: "open") }
        defer { close(descriptor) }
        let reader = ArchiveByteReader(hashingWholeFile: true) { buffer in
            while true {
                let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
                if count >= 0 { return count }
                if errno != EINTR { throw FileError(path: path, operation: "read") }
            }
        }
        let record = try read(reader, cancelled: cancelled)
        try record.checkOffsets(in: record.toc)
        return record
    }

    /// Each entry's offset (in a table of contents as pg_dump finished it) must point to the block
    /// recorded for it; entries without data must still have none.
    func checkOffsets(in finished: CustomArchiveTOC) throws {
        let positions = Dictionary(blocks.map { ($0.dumpID, $0.position) }, uniquingKeysWith: { first, _ in first })
        for entry in finished.entries {
            let name = "entry \(entry.dumpID) (\(entry.type) \(entry.tag))"
            switch entry.dataState {
            case .noData:
                guard positions[entry.dumpID] == nil else { throw CustomArchiveError("\(name) says it has no data, but a block for it was read") }
            case .positionNotSet:
                throw CustomArchiveError("the data offset of \(name) was never filled in (pg_dump did not finish the archive)")
            case .position(let offset):
                guard let position = positions[entry.dumpID] else {
                    throw CustomArchiveError("\(name) points to byte \(offset), but no block for it was read")
                }
                guard position == offset else {
                    throw CustomArchiveError("\(name) points to byte \(offset), but its block was read at byte \(position)")
                }
            }
        }
    }
}
