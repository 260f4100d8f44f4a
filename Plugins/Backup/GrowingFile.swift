import CurateKit
import Foundation
import Synchronization

/// A file another program is writing, read as it grows: a read that finds no new bytes waits for
/// the kernel to report a change in the file's folder (inotify), or for the writer's end, which
/// `writerEnded()` reports. After the writer's end, reaching the end of the file is the end.
final class GrowingFile: Sendable {
    let path: String
    private let ended = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)
    /// inotify's descriptor, watching the folder (the file may not exist yet); -1 once closed.
    private let watch: Atomic<Int32>
    /// Written to by `writerEnded`/`stop` to wake a waiting read.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    /// Starts watching; call before the writer starts, so that no change is missed.
    init(path: String) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        let watch = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard watch >= 0 else { throw FileError(path: folder, operation: "watch") }
        let mask = UInt32(IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO)
        guard inotify_add_watch(watch, folder.isEmpty ? "." : folder, mask) >= 0 else {
            close(watch)
            throw FileError(path: folder, operation: "watch")
        }
        self.watch = Atomic(watch)
        var fds: [Int32] = [0, 0]
        // At most two wake-up bytes are ever written: a blocking pipe is enough.
        guard pipe(&fds) == 0 else {
            close(watch)
            throw FileError(path: folder, operation: "watch")
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        _ = fcntl(wakeRead, F_SETFD, FD_CLOEXEC)
        _ = fcntl(wakeWrite, F_SETFD, FD_CLOEXEC)
    }

    deinit {
        stopWatching()
        close(wakeRead)
        close(wakeWrite)
    }

    /// The writer has exited: what the file holds now is all it will hold.
    func writerEnded() {
        ended.store(true, ordering: .sequentiallyConsistent)
        wake()
    }

    /// Stops a read in progress (it throws `CommandCancelled`).
    func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        wake()
    }

    /// The read is over: the folder's watch is closed. Closing an inotify descriptor waits for
    /// the kernel to retire it (15 ms here), so the reading thread does it, not the backup's.
    func stopWatching() {
        let descriptor = watch.exchange(-1, ordering: .sequentiallyConsistent)
        if descriptor >= 0 { close(descriptor) }
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// A reader of the file's bytes in order, for `ArchiveByteReader`. The descriptor is closed
    /// when the returned source is released.
    func source() -> ArchiveByteReader.Source {
        let handle = Handle()
        return { [self] buffer in
            while true {
                if stopped.load(ordering: .sequentiallyConsistent) { throw CommandCancelled() }
                // Loaded before the read: once the writer has ended, an empty read is the end.
                let writerGone = ended.load(ordering: .sequentiallyConsistent)
                if handle.descriptor < 0 {
                    handle.descriptor = open(path, O_RDONLY | O_CLOEXEC)
                    if handle.descriptor < 0 {
                        guard errno == ENOENT else { throw FileError(path: path, operation: "open") }
                        if writerGone { throw CustomArchiveError("pg_dump wrote no file") }
                        waitForChange()
                        continue
                    }
                }
                let count = read(handle.descriptor, buffer.baseAddress, buffer.count)
                if count > 0 {
                    handle.batchWaited = false
                    return count
                }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw FileError(path: path, operation: "read")
                }
                if writerGone { return 0 }
                // pg_dump writes a few kilobytes at a time: woken for each write, the read would
                // take thousands of wake-ups and tiny reads from the cores pg_dump needs. It lets
                // a batch gather first (ended early by the writer's end), then waits for a change.
                if !handle.batchWaited {
                    handle.batchWaited = true
                    waitForWake(milliseconds: Self.batchMilliseconds)
                    continue
                }
                handle.batchWaited = false
                waitForChange()
            }
        }
    }

    /// How long a read that reached the end lets the writer's next bytes gather: at pg_dump's
    /// rate about half a megabyte, a few dozen wake-ups a second at most.
    static let batchMilliseconds: Int32 = 50

    /// Waits up to `milliseconds`, or until `writerEnded`/`stop` (their byte stays readable).
    private func waitForWake(milliseconds: Int32) {
        var fd = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
        _ = poll(&fd, 1, milliseconds)
    }

    /// Blocks until the folder reports a change or a wake-up comes, then drains both.
    private func waitForChange() {
        let watch = watch.load(ordering: .sequentiallyConsistent)
        var fds = [pollfd(fd: watch, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        // A bounded wait: a change the kernel coalesced away costs at most this delay.
        _ = poll(&fds, 2, 250)
        let drain = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 8)
        defer { drain.deallocate() }
        while read(watch, drain, 4096) > 0 {}
        // The wake-up byte stays readable, so later waits return at once once the writer ended.
    }

    private final class Handle {
        var descriptor: Int32 = -1
        /// Whether the read already let a batch gather since it last found new bytes.
        var batchWaited = false
        deinit { if descriptor >= 0 { close(descriptor) } }
    }
}
