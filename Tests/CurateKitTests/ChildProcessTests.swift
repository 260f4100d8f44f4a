import Foundation
import Testing
@testable import CurateKit

/// Programs without a connection: found on PATH, run to their end or side by side, with one
/// way of ending them on Ctrl-C.
@Suite("Child processes")
struct ChildProcessTests {
    @Test("a program given by name is found on PATH; a missing one is an error naming it")
    func foundOnPath() throws {
        let sh = try #require(ProgramPath.find("sh"))
        #expect(sh.hasSuffix("/sh") && access(sh, X_OK) == 0)
        #expect(ProgramPath.find("/bin/sh") == "/bin/sh")
        #expect(ProgramPath.find("curate-no-such-program") == nil)
        #expect {
            _ = try ChildProcess.run("curate-no-such-program", [])
        } throws: { error in
            (error as? CommandError)?.message == "curate-no-such-program not found on PATH"
        }
    }

    @Test("run to its end: output by block, the exit status, or 128 + the signal")
    func runToEnd() throws {
        var received: [UInt8] = []
        let ok = try ChildProcess.run("sh", ["-c", "printf 'abc'; exit 3"], stdout: .bytes { received.append(contentsOf: $0) })
        #expect(received == Array("abc".utf8))
        #expect(ok.status == 3 && ok.signal == nil && !ok.succeeded)
        let killed = try ChildProcess.run("sh", ["-c", "kill -KILL $$"])
        #expect(killed.signal == SIGKILL && killed.status == 128 + SIGKILL)
    }

    @Test("a child that closed its output is asked for its status after 1 ms, then twice as long each time up to 100 ms")
    func statusAfterOutputCloses() throws {
        var wait = ProgramRun.ExitWait()
        #expect((0..<10).map { _ in wait.next() } == [1, 2, 4, 8, 16, 32, 64, 100, 100, 100])
        // A program that closes its output and lives on is still waited for, and its status kept.
        var ticks = 0
        let run = try ChildProcess.run("sh", ["-c", "exec >&- 2>&-; sleep 0.3; exit 4"], tick: { ticks += 1 })
        #expect(run.status == 4 && !run.cancelled && ticks > 0)
    }

    @Test("cancelled (Ctrl-C): SIGTERM, whether run to its end or waited for later")
    func cancelSendsTerm() throws {
        let run = try ChildProcess.run("sleep", ["30"], cancelled: { true })
        #expect(run.cancelled && run.signal == SIGTERM)
        let started = try ChildProcess("sleep", ["30"])
        let ended = started.wait(cancelled: { true })
        #expect(ended.cancelled && ended.signal == SIGTERM)
    }

    @Test("a child that ignores SIGTERM gets SIGKILL after the grace period")
    func killAfterGrace() throws {
        let ready = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: ready) }
        let started = try ChildProcess("sh", ["-c", "trap '' TERM; echo ready > \"$0\"; exec sleep 60", ready])
        // Ctrl-C once the child ignores SIGTERM (it says so in the file).
        let ended = started.wait(cancelled: { (try? String(contentsOfFile: ready, encoding: .utf8)) == "ready\n" })
        #expect(ended.cancelled && ended.signal == SIGKILL)
    }
}
