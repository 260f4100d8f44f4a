import CurateKit
import Foundation
import Synchronization

/// The sync to disk of a custom-format dump, done by curate instead of pg_dump.
///
/// pg_dump syncs its file before it exits (60–85 ms for the benchmark's 87 MB), and only then
/// could the proof read it. Run with `--no-sync`, its file is synced here, on a thread of its own
/// while the proof reads it; the backup gets its name only once the sync has succeeded. The file
/// is created and opened here before pg_dump starts (pg_dump truncates and writes that same
/// file): Linux reports a failed write-back only to descriptors that were open when it happened.
final class DumpFileSync: Sendable {
    private let path: String
    private let descriptor: Int32
    private let started = Atomic<Bool>(false)
    private let outcome = Mutex<FileError?>(nil)
    private let done = DispatchSemaphore(value: 0)

    /// Creates the dump's file (mode 0600), before pg_dump writes it.
    init(creating path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileError(path: path, operation: "create") }
    }

    // The sync's thread holds the object until it is done: the descriptor outlives the sync.
    deinit { close(descriptor) }

    /// pg_dump has exited: the sync starts.
    func start() {
        guard !started.exchange(true, ordering: .sequentiallyConsistent) else { return }
        Thread.detachNewThread { [self] in
            let failure = fsync(descriptor) == 0 ? nil : FileError(path: path, operation: "sync")
            outcome.withLock { $0 = failure }
            done.signal()
        }
    }

    /// Waits for the sync `start` began; throws when the file could not be written to disk.
    func wait() throws {
        start()
        done.wait()
        // Any later wait returns at once.
        done.signal()
        if let failure = outcome.withLock({ $0 }) { throw failure }
    }
}
