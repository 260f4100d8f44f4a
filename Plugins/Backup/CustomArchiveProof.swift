import Crypto
import CurateKit
import Foundation
import Synchronization

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
        // Two reads of the file (from the page cache), side by side on two cores: the whole file's
        // SHA-256, and its data's. Each reads on its own, so neither waits for the other's blocks.
        let prefixLength = record.prefix.count
        // The data's pass runs on a thread of its own and stops when this thread sees Ctrl-C.
        let wholePass = HashPass(from: 0, keeping: prefixLength)
        let dataPass = HashPass(from: Int64(prefixLength), keeping: 0)
        let stopped = Atomic<Bool>(false)
        let dataDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            dataPass.run(descriptor: descriptor, path: path) { stopped.load(ordering: .relaxed) }
            dataDone.signal()
        }
        wholePass.run(descriptor: descriptor, path: path) {
            if cancelled() { stopped.store(true, ordering: .relaxed) }
            return stopped.load(ordering: .relaxed)
        }
        dataDone.wait()
        let (whole, data) = (try wholePass.outcome.get(), try dataPass.outcome.get())
        guard whole.length == record.length, data.length == record.length else {
            throw CustomArchiveError("the finished file changed its length while it was checked")
        }
        let prefix = whole.kept
        if let position = firstDifference(prefix, record.prefix, outside: record.toc) {
            throw CustomArchiveError("byte \(position) of the header or table of contents changed after it was read (not a data offset pg_dump fills in)")
        }
        guard data.sha256 == record.dataSHA256 else {
            throw CustomArchiveError("the data blocks of the finished file differ from the ones read while pg_dump wrote them")
        }
        let finished = try finishedTOC(prefix, header: record.header)
        try record.checkOffsets(in: finished)
        return whole.sha256
    }

    /// One thread's read of the file from `start` to its end, hashing it and keeping its first
    /// `keeping` bytes.
    private final class HashPass: @unchecked Sendable {
        struct Seen {
            var sha256: String
            var kept: [UInt8]
            /// Where the read ended: the file's length.
            var length: Int64
        }
        let start: Int64
        let keeping: Int
        /// Set by `run`, on its thread; read once that thread has signalled its end.
        private(set) var outcome: Result<Seen, any Error> = .failure(CommandCancelled())

        init(from start: Int64, keeping: Int) {
            self.start = start
            self.keeping = keeping
        }

        func run(descriptor: Int32, path: String, cancelled: () -> Bool) {
            outcome = Result {
                var hasher = SHA256()
                var kept: [UInt8] = []
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 16)
                defer { buffer.deallocate() }
                var position = start
                while true {
                    if cancelled() { throw CommandCancelled() }
                    let count = pread(descriptor, buffer.baseAddress, buffer.count, off_t(position))
                    if count < 0 {
                        if errno == EINTR { continue }
                        throw FileError(path: path, operation: "read")
                    }
                    if count == 0 { break }
                    let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                    if kept.count < keeping { kept.append(contentsOf: chunk.prefix(keeping - kept.count)) }
                    hasher.update(bufferPointer: chunk)
                    position += Int64(count)
                }
                return Seen(sha256: FileDigest.hex(hasher.finalize()), kept: kept, length: position)
            }
        }
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
