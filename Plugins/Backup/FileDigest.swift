import Crypto
import CurateKit
import Foundation

/// SHA-256 as lowercase hex, through swift-crypto (BoringSSL's code, with the CPU's SHA
/// instructions where it has them). Files are hashed as they are read, 1 MiB at a time, so
/// memory stays flat whatever the backup's size.
public enum FileDigest {
    /// The hex digest of `bytes`.
    public static func sha256(_ bytes: some DataProtocol) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// The hex digest of a file. `cancelled` is asked between blocks: true stops the read with
    /// `CommandCancelled`.
    public static func sha256(file path: String, cancelled: () -> Bool = { false }) throws -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError(path: path, operation: "open") }
        defer { close(descriptor) }
        var hasher = SHA256()
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { block.deallocate() }
        while true {
            if cancelled() { throw CommandCancelled() }
            let count = read(descriptor, block.baseAddress, block.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, operation: "read")
            }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: block[0..<count]))
        }
        return hex(hasher.finalize())
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
