import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program to its end: the one loop that every child curate waits for goes through
/// (`ClientProgram`, `ChildProcess.run`). Pipes are read as they fill (captured, by line or by
/// block), `tick` is called about ten times a second, and when `cancelled` turns true (Ctrl-C)
/// the child gets SIGTERM, then SIGKILL five seconds later. Started by `ChildSpawn`, so every
/// child has default signal handling.
package enum ProgramRun {
    package typealias Input = ClientProgram.Input
    package typealias Output = ClientProgram.Output
    package typealias Result = ClientProgram.Result

    private final class Stream {
        let descriptor: Int32
        let output: Output
        var captured: [UInt8] = []
        var pending: [UInt8] = []
        var open = true
        init(descriptor: Int32, output: Output) {
            self.descriptor = descriptor
            self.output = output
        }

        func take(_ bytes: UnsafeRawBufferPointer) {
            switch output {
            case .capture:
                captured.append(contentsOf: bytes)
            case .lines(let handler):
                pending.append(contentsOf: bytes)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    handler(String(decoding: pending[..<newline], as: UTF8.self))
                    pending.removeSubrange(...newline)
                }
            case .bytes(let handler):
                handler(bytes)
            default:
                break
            }
        }

        func finish() {
            if case .lines(let handler) = output, !pending.isEmpty {
                handler(String(decoding: pending, as: UTF8.self))
                pending.removeAll()
            }
        }
    }

    package static func run(
        path: String, arguments: [String], environment: [String: String],
        stdin: Input, stdout: Output, stderr: Output,
        cancelled: () -> Bool, tick: (() -> Void)?
    ) throws -> Result {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        defer { for fd in parentEnds + childEnds { close(fd) } }
        var streams: [Stream] = []

        switch stdin {
        case .null: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .file(let file): posix_spawn_file_actions_addopen(&actions, 0, file, O_RDONLY, 0)
        case .descriptor(let fd): posix_spawn_file_actions_adddup2(&actions, fd, 0)
        }
        for (target, output) in [(Int32(1), stdout), (Int32(2), stderr)] {
            switch output {
            case .inherit: break
            case .discard: posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
            case .file(let file): posix_spawn_file_actions_addopen(&actions, target, file, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            case .capture, .lines, .bytes:
                var fds: [Int32] = [0, 0]
                guard pipe(&fds) == 0 else {
                    throw CommandError("cannot create a pipe: \(String(cString: strerror(errno)))")
                }
                _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
                _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
                parentEnds.append(fds[0])
                childEnds.append(fds[1])
                posix_spawn_file_actions_adddup2(&actions, fds[1], target)
                streams.append(Stream(descriptor: fds[0], output: output))
            }
        }

        let started = Progress.now()
        // umask is per process; curate runs commands on one thread, so setting it around the
        // spawn gives the child 077 without a shell in between.
        let savedMask = umask(0o077)
        let spawned = ChildSpawn.spawn(path, arguments: arguments, environment: environment, actions: &actions)
        umask(savedMask)
        let pid: pid_t
        switch spawned {
        case .success(let child): pid = child
        case .failure(let failure): throw CommandError("cannot start \(path): \(failure.message)")
        }
        for fd in childEnds { close(fd) }
        childEnds.removeAll()

        var wasCancelled = false
        var terminateSent: Double?
        var exitStatus: Int32 = 0
        var exited = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        var exitWait = ExitWait()
        while true {
            let openStreams = streams.filter(\.open)
            if openStreams.isEmpty {
                var status: Int32 = 0
                let waited = waitpid(pid, &status, WNOHANG)
                if waited == pid {
                    exitStatus = status
                    exited = true
                    break
                }
                if waited < 0 && errno != EINTR {
                    break
                }
                _ = poll(nil, 0, exitWait.next())
            } else {
                var fds = openStreams.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
                let ready = poll(&fds, nfds_t(fds.count), 100)
                if ready > 0 {
                    for (index, stream) in openStreams.enumerated() where fds[index].revents != 0 {
                        let count = buffer.withUnsafeMutableBytes { read(stream.descriptor, $0.baseAddress, $0.count) }
                        if count > 0 {
                            buffer.withUnsafeBytes { stream.take(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
                        } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                            stream.open = false
                            stream.finish()
                        }
                    }
                }
            }
            tick?()
            if cancelled() {
                wasCancelled = true
                let now = Progress.now()
                if terminateSent == nil {
                    kill(pid, SIGTERM)
                    terminateSent = now
                } else if let sent = terminateSent, now - sent > 5 {
                    kill(pid, SIGKILL)
                }
            }
        }
        if !exited {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            exitStatus = status
        }
        let captured = streams.map { $0.captured }
        var result = Result(status: 0, signal: nil, cancelled: wasCancelled, stdout: [], stderr: [],
                            duration: Progress.now() - started)
        var index = 0
        switch stdout {
        case .capture: result.stdout = captured[index]; index += 1
        case .lines, .bytes: index += 1
        default: break
        }
        if case .capture = stderr { result.stderr = captured[index] }
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros: decode by hand.
        let termination = exitStatus & 0x7f
        if termination == 0 {
            result.status = (exitStatus >> 8) & 0xff
        } else {
            result.signal = termination
            result.status = 128 + termination
        }
        return result
    }

    /// How long to wait before asking again for the status of a child that has closed its output.
    /// It is then exiting, usually within a millisecond (the kernel closes its files before its
    /// status can be collected): the waits start at 1 ms and double up to the tick's 100 ms. A
    /// fixed 100 ms cost every program run (pg_dump's too) up to that much at its end.
    package struct ExitWait {
        private var milliseconds: Int32 = 1

        package init() {}

        package mutating func next() -> Int32 {
            defer { milliseconds = min(milliseconds * 2, 100) }
            return milliseconds
        }
    }
}
