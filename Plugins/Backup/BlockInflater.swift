import CZlib

/// Inflates the zlib streams of gzip-compressed data blocks (pg_dump writes one stream per
/// table's data and per large object), throwing the output away: what counts is that each
/// stream inflates completely and its Adler-32 check matches. The only C interop of the
/// archive reader.
final class BlockInflater {
    private var stream = z_stream()
    private let output: UnsafeMutablePointer<UInt8>
    private let outputSize = 1 << 16
    private var started = false
    private var ended = false
    /// Bytes inflated in the current stream.
    private(set) var inflated: Int64 = 0

    init() {
        output = UnsafeMutablePointer<UInt8>.allocate(capacity: outputSize)
    }

    deinit {
        if started { inflateEnd(&stream) }
        output.deallocate()
    }

    /// Starts a new stream.
    func begin() throws {
        let status = started ? inflateReset(&stream) : inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw CustomArchiveError("zlib could not start inflating (status \(status))") }
        started = true
        ended = false
        inflated = 0
    }

    /// Inflates the next compressed bytes of the stream.
    func feed(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        guard !ended else { throw CustomArchiveError("bytes follow the end of the compressed stream") }
        stream.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self))
        stream.avail_in = UInt32(bytes.count)
        repeat {
            stream.next_out = output
            stream.avail_out = UInt32(outputSize)
            let status = inflate(&stream, Z_NO_FLUSH)
            inflated += Int64(outputSize - Int(stream.avail_out))
            switch status {
            case Z_OK: break
            case Z_STREAM_END:
                ended = true
                if stream.avail_in > 0 { throw CustomArchiveError("bytes follow the end of the compressed stream") }
            case Z_BUF_ERROR:
                // No progress possible: all input taken.
                if stream.avail_out > 0 { return }
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                throw CustomArchiveError("the compressed data is damaged (zlib: \(message))")
            }
        } while stream.avail_in > 0 || (stream.avail_out == 0 && !ended)
    }

    /// The stream must have ended, its check verified.
    func finish() throws {
        guard ended else { throw CustomArchiveError("the compressed stream ends early (its zlib end and check are missing)") }
    }
}
