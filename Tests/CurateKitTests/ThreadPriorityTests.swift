import CurateKit
import Foundation
import Synchronization
import Testing

@Suite("Thread priority")
struct ThreadPriorityTests {
    @Test("a thread's nice value changes for that thread alone, and root can raise it back")
    func perThread() throws {
        let main = ThreadPriority.current
        let before = main.nice
        let seen = Mutex<(thread: ThreadPriority?, lowered: Int32?)>((nil, nil))
        let done = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let thread = ThreadPriority.current
            let lowered = thread.setNice(19)
            seen.withLock { $0 = (thread, lowered ? thread.nice : nil) }
            done.signal()
            release.wait()
        }
        done.wait()
        defer { release.signal() }
        let (thread, lowered) = seen.withLock { $0 }
        let other = try #require(thread)
        #expect(other != main)
        #expect(lowered == 19)
        #expect(main.nice == before, "the calling thread keeps its priority")
        // Read from another thread, as the backup does when pg_dump has ended.
        #expect(other.nice == 19)
        // (Raising it back needs privilege: tried only as root.)
        if geteuid() == 0 {
            #expect(other.setNice(before))
            #expect(other.nice == before)
        }
    }
}
