import CurateKit
import Foundation
import Synchronization

/// The verification of a custom-format backup while pg_dump writes it: a thread of its own (so
/// on another core than pg_dump) follows the growing file, hashes it, reads the table of contents
/// and inflates each data block as it completes (`CustomArchiveRecord`). When pg_dump has
/// exited, `finish` waits for the read to reach the end and proves the finished file is what was
/// read (`CustomArchiveProof`).
final class CustomArchiveFollower: Sendable {
    private let file: GrowingFile
    private let outcome = Mutex<Result<CustomArchiveRecord, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)
    /// Whether the thread's end has been waited for (the semaphore is signalled once).
    private let joined = Atomic<Bool>(false)

    /// The reading thread's id once it lowered its priority, and whether pg_dump has ended.
    private let priority = Mutex<(lowered: ThreadPriority?, normal: Int32, writerEnded: Bool)>((nil, 0, false))

    /// Starts following `path`, before pg_dump starts writing it.
    init(path: String) throws {
        file = try GrowingFile(path: path)
        Thread.detachNewThread { [self] in
            // While pg_dump runs, the read takes only the CPU time that pg_dump and its server
            // leave idle: where they keep every core busy, verifying must not slow the dump.
            priority.withLock { state in
                guard !state.writerEnded else { return }
                let thread = ThreadPriority.current
                state.normal = thread.nice
                if thread.setNice(19) { state.lowered = thread }
            }
            let reader = ArchiveByteReader(source: file.source())
            let result = Result { try CustomArchiveRecord.read(reader, cancelled: { false }) }
            outcome.withLock { $0 = result }
            done.signal()
            file.stopWatching()
        }
    }

    /// pg_dump failed or the backup is abandoned: stops the read and waits for the thread (once).
    func abandon() {
        guard !joined.exchange(true, ordering: .sequentiallyConsistent) else { return }
        file.stop()
        done.wait()
    }

    /// pg_dump exited successfully: the read goes to the end of the file, then the proof. The
    /// file's SHA-256 and what was read, or the reason the file is not a good backup.
    func finish(cancelled: @escaping () -> Bool) throws -> (sha256: String, record: CustomArchiveRecord) {
        // The rest of the read is all that is left to wait for: back to the process's priority
        // (refused to a user without the right to raise it: the read then ends at low priority).
        priority.withLock { state in
            state.writerEnded = true
            state.lowered?.setNice(state.normal)
        }
        file.writerEnded()
        while done.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            if cancelled() {
                abandon()
                throw CommandCancelled()
            }
        }
        joined.store(true, ordering: .sequentiallyConsistent)
        let record = try outcome.withLock { $0! }.get()
        let digest = try CustomArchiveProof.check(file: file.path, against: record, cancelled: cancelled)
        return (digest, record)
    }
}

