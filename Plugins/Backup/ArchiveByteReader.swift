import Crypto

/// Reads an archive front to back from a source of bytes (a finished file, or one pg_dump is
/// still writing), knows the position of the next byte, and accounts for every byte it passes:
/// the bytes before `startData()` (header and table of contents, small) are kept, the ones after
/// it are hashed as they go by. Memory stays flat: a 1 MiB buffer, refilled in place.
final class ArchiveByteReader {
    /// Fills the buffer it is given; 0 means the archive ends here (the source waits for more
    /// bytes itself while the file is still growing).
    typealias Source = (UnsafeMutableRawBufferPointer) throws -> Int

    private let source: Source
    private let buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    /// The position in the file of the next byte to be read.
    private(set) var position: Int64 = 0
    /// The bytes read before `startData()`.
    private(set) var kept: [UInt8] = []
    private var keeping = true
    private var dataHasher = SHA256()
    /// The SHA-256 of every byte read, when asked for (the check of a finished file).
    private var wholeHasher: SHA256?

    init(hashingWholeFile: Bool = false, source: @escaping Source) {
        self.source = source
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        wholeHasher = hashingWholeFile ? SHA256() : nil
    }

    deinit { buffer.deallocate() }

    /// From here on bytes are hashed, no longer kept.
    func startData() { keeping = false }

    /// The hex SHA-256 of the bytes read since `startData()`.
    func dataDigest() -> String { FileDigest.hex(dataHasher.finalize()) }

    /// The hex SHA-256 of every byte read (nil unless asked for at the start).
    func wholeDigest() -> String? { wholeHasher.map { FileDigest.hex($0.finalize()) } }

    /// Whether the archive has no more bytes.
    func atEnd() throws -> Bool {
        try start == end && !refill()
    }

    /// One byte.
    func byte() throws -> UInt8 {
        var value: UInt8 = 0
        try pass(1) { value = $0[0] }
        return value
    }

    /// `count` bytes as an array (names, statements: the table of contents).
    func bytes(_ count: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(min(count, 1 << 20))
        try pass(count) { result.append(contentsOf: $0) }
        return result
    }

    /// Passes `count` bytes to `body` in one or more pieces (each valid only during its call).
    func pass(_ count: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var left = count
        while left > 0 {
            if start == end, try !refill() {
                throw CustomArchiveError("the archive ends early, at byte \(position) (truncated)")
            }
            let piece = UnsafeRawBufferPointer(rebasing: buffer[start..<min(end, start + left)])
            account(piece)
            try body(piece)
            start += piece.count
            left -= piece.count
            position += Int64(piece.count)
        }
    }

    /// Passes every byte left, to the end.
    func passToEnd() throws {
        while try !atEnd() {
            try pass(end - start) { _ in }
        }
    }

    private func account(_ piece: UnsafeRawBufferPointer) {
        wholeHasher?.update(bufferPointer: piece)
        if keeping {
            kept.append(contentsOf: piece)
        } else {
            dataHasher.update(bufferPointer: piece)
        }
    }

    private func refill() throws -> Bool {
        start = 0
        end = 0
        let count = try source(buffer)
        end = count
        return count > 0
    }
}
