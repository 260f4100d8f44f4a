import Crypto
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
        // One pass over the file (from the page cache): the whole file's SHA-256 and its data's
        // are computed side by side on two cores, so the proof adds about one hash's time.
        let prefixLength = record.prefix.count
        var prefix: [UInt8] = []
        let whole = HashState()
        let data = HashState()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var position = 0
        while true {
            if cancelled() { throw CommandCancelled() }
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, operation: "read")
            }
            if count == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            let inPrefix = max(0, min(count, prefixLength - position))
            prefix.append(contentsOf: chunk[0..<inPrefix])
            let pieces = HashPieces(whole: chunk, data: UnsafeRawBufferPointer(rebasing: chunk[inPrefix...]))
            if pieces.data.count >= 1 << 18 {
                DispatchQueue.concurrentPerform(iterations: 2) { index in
                    if index == 0 { whole.update(pieces.whole) } else { data.update(pieces.data) }
                }
            } else {
                whole.update(pieces.whole)
                data.update(pieces.data)
            }
            position += count
        }
        guard position == record.length else {
            throw CustomArchiveError("the finished file changed its length while it was checked")
        }
        if let position = firstDifference(prefix, record.prefix, outside: record.toc) {
            throw CustomArchiveError("byte \(position) of the header or table of contents changed after it was read (not a data offset pg_dump fills in)")
        }
        guard data.digest() == record.dataSHA256 else {
            throw CustomArchiveError("the data blocks of the finished file differ from the ones read while pg_dump wrote them")
        }
        let finished = try finishedTOC(prefix, header: record.header)
        try record.checkOffsets(in: finished)
        return whole.digest()
    }

    /// A SHA-256 in progress, updated by one thread at a time.
    private final class HashState: @unchecked Sendable {
        private var hasher = SHA256()
        func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }
        func digest() -> String { FileDigest.hex(hasher.finalize()) }
    }

    /// The two ranges of one block of the file that the two hashes take.
    private struct HashPieces: @unchecked Sendable {
        var whole: UnsafeRawBufferPointer
        var data: UnsafeRawBufferPointer
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
