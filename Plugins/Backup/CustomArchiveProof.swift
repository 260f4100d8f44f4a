import CurateKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The proof that a finished custom-format archive is the one read while pg_dump wrote it.
///
/// pg_dump writes the header and the table of contents, then the data blocks, then goes back and
/// writes the table of contents again with each entry's data offset filled in. The finished file
/// is read once more (from the page cache, hashing only): it must have the length read, the same
/// header and table of contents except inside the offset fields, data with the SHA-256 the
/// streamed read computed, and every offset pointing to the block read there. Anything else is a
/// change the verification did not see, and fails the backup.
enum CustomArchiveProof {
    /// Checks the finished file at `path` against `record`; its SHA-256 (of the whole file).
    static func check(file path: String, against record: CustomArchiveRecord, cancelled: @escaping () -> Bool) throws -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError(path: path, operation: "open") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw FileError(path: path, operation: "read") }
        guard Int64(info.st_size) == record.length else {
            throw CustomArchiveError("the finished file has \(info.st_size) bytes, but \(record.length) were read while pg_dump wrote it")
        }
        let reader = ArchiveByteReader(hashingWholeFile: true) { buffer in
            if cancelled() { throw CommandCancelled() }
            while true {
                let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
                if count >= 0 { return count }
                if errno != EINTR { throw FileError(path: path, operation: "read") }
            }
        }
        let prefix = try reader.bytes(record.prefix.count)
        reader.startData()
        try reader.passToEnd()
        if let position = firstDifference(prefix, record.prefix, outside: record.toc) {
            throw CustomArchiveError("byte \(position) of the header or table of contents changed after it was read (not a data offset pg_dump fills in)")
        }
        guard reader.dataDigest() == record.dataSHA256 else {
            throw CustomArchiveError("the data blocks of the finished file differ from the ones read while pg_dump wrote them")
        }
        let finished = try finishedTOC(prefix, header: record.header)
        try record.checkOffsets(in: finished)
        return reader.wholeDigest()!
    }

    /// The first position where `a` and `b` differ, the entries' offset fields left out.
    static func firstDifference(_ a: [UInt8], _ b: [UInt8], outside toc: CustomArchiveTOC) -> Int? {
        guard a.count == b.count else { return min(a.count, b.count) }
        var fields = toc.entries.map { Int($0.offsetFieldPosition)..<(Int($0.offsetFieldPosition) + $0.offsetFieldLength) }[...]
        for index in a.indices where a[index] != b[index] {
            while let field = fields.first, field.upperBound <= index { fields = fields.dropFirst() }
            if let field = fields.first, field.contains(index) { continue }
            return index
        }
        return nil
    }

    /// The table of contents as pg_dump left it, read from the finished file's first bytes.
    static func finishedTOC(_ prefix: [UInt8], header: CustomArchiveHeader) throws -> CustomArchiveTOC {
        var offset = 0
        let reader = ArchiveByteReader { buffer in
            let count = min(prefix.count - offset, buffer.count)
            buffer.copyBytes(from: prefix[offset..<(offset + count)])
            offset += count
            return count
        }
        _ = try CustomArchiveHeader(reading: reader)
        return try CustomArchiveTOC(reading: reader, header: header)
    }
}
