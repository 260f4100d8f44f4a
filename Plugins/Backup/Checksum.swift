import CurateKit
import Foundation
import Synchronization

/// The SHA-256 of a backup, computed on a thread of its own while the verification reads the
/// backup, and collected after that read, so that the two overlap. For a directory backup it is
/// the SHA-256 of its files' sorted "HASH  NAME" lines. Hashing streams each file (`FileDigest`):
/// memory stays flat.
final class BackupChecksum: Sendable {
    private let isFolder: Bool
    /// The file, or the folder's files sorted by name.
    private let files: [String]
    private let names: [String]
    /// Set by `wait` when the user cancels: the hashing thread stops at its next block.
    private let stopped = Atomic<Bool>(false)
    private let outcome = Mutex<Result<[String], any Error>?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts hashing `path` (a file or a directory backup).
    init(path: String) throws {
        isFolder = BackupFiles.isDirectory(path)
        names = isFolder ? try FileManager.default.contentsOfDirectory(atPath: path).sorted() : [path]
        files = isFolder ? names.map { path + "/" + $0 } : [path]
        Thread.detachNewThread { [self] in
            let result = Result { try files.map { try FileDigest.sha256(file: $0) { stopped.load(ordering: .relaxed) } } }
            outcome.withLock { $0 = result }
            finished.signal()
        }
    }

    /// The hex digest, once every file is hashed. `cancelled` is asked while waiting: true stops
    /// the hashing and throws `CommandCancelled`.
    func wait(cancelled: () -> Bool = { false }) throws -> String {
        repeat {
            if cancelled() {
                stopped.store(true, ordering: .relaxed)
                finished.wait()
                throw CommandCancelled()
            }
        } while finished.wait(timeout: .now() + .milliseconds(100)) == .timedOut
        let hashes = try outcome.withLock { $0! }.get()
        guard isFolder else { return hashes[0] }
        return FileDigest.sha256(Array(zip(hashes, names).map { "\($0)  \($1)\n" }.joined().utf8))
    }
}
