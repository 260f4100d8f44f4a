import CTestPTY
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What a finished child process left behind.
struct SubprocessOutput: Sendable {
    var stdout = Data()
    var stderr = Data()
    /// Exit code, or 128 + signal number when a signal ended it.
    var status: Int32 = -1
    /// The watchdog killed it.
    var timedOut = false
    /// It could not be started (then status is 127).
    var spawnError: String?
}

/// Starting programs with pipes, without Foundation.Process: the child gets
/// exactly fds 0, 1, 2, default signal dispositions, and nothing else; both
/// output pipes are drained together (no pipe-buffer deadlock); a watchdog
/// kills the child at the deadline. Nothing here can hang past the timeout.
enum Subprocess {
    /// The environment a child starts from: ours without any libpq variable
    /// (PGHOST, PGDATABASE, PGOPTIONS, …) so a developer's settings cannot leak
    /// into a test; tests pass connection details explicitly.
    static func baseEnvironment() -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") && $0.key != "PSQLRC" }
    }

    /// A child must not kill the test runner with SIGPIPE when it exits before
    /// reading all its input. (Children get SIGPIPE back to default, see CTestPTY.)
    static let ignoreSIGPIPE: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()

    /// Runs `executable`. `stdin` nil means /dev/null. With `combine`, fd 1 and
    /// fd 2 of the child are the same pipe, and everything lands in `stdout`
    /// in the order it was written.
    static func run(
        executable: String,
        arguments: [String],
        environment: [String: String],
        stdin: Data?,
        combine: Bool,
        timeout: TimeInterval
    ) -> SubprocessOutput {
        _ = ignoreSIGPIPE
        var result = SubprocessOutput()

        guard FileManager.default.isExecutableFile(atPath: executable) else {
            result.status = 127
            result.spawnError = "no executable at \(executable)"
            result.stderr = Data("\(result.spawnError!)\n".utf8)
            return result
        }

        var fdsToClose: [Int32] = []
        defer { for fd in fdsToClose { close(fd) } }

        func makePipe() -> (read: Int32, write: Int32)? {
            var fds: [Int32] = [-1, -1]
            guard curate_pipe_cloexec(&fds) == 0 else { return nil }
            fdsToClose.append(contentsOf: fds)
            return (fds[0], fds[1])
        }

        // stdin
        let stdinRead: Int32
        var stdinWrite: Int32 = -1
        if stdin != nil {
            guard let p = makePipe() else { return failed(&result, "pipe: \(errnoText())") }
            stdinRead = p.read
            stdinWrite = p.write
            _ = fcntl(stdinWrite, F_SETFL, fcntl(stdinWrite, F_GETFL) | O_NONBLOCK)
        } else {
            stdinRead = open("/dev/null", O_RDONLY | O_CLOEXEC)
            guard stdinRead >= 0 else { return failed(&result, "open /dev/null: \(errnoText())") }
            fdsToClose.append(stdinRead)
        }
        guard let outPipe = makePipe() else { return failed(&result, "pipe: \(errnoText())") }
        var errPipe = outPipe
        if !combine {
            guard let p = makePipe() else { return failed(&result, "pipe: \(errnoText())") }
            errPipe = p
        }

        let pid = withCStrings([executable] + arguments) { argv in
            withCStrings(environment.map { "\($0.key)=\($0.value)" }.sorted()) { envp in
                curate_spawn(executable, argv, envp, stdinRead, outPipe.write, errPipe.write)
            }
        }
        guard pid > 0 else { return failed(&result, "fork: \(errnoText())") }

        // The parent keeps only its own ends.
        closeAndForget(stdinRead, in: &fdsToClose)
        closeAndForget(outPipe.write, in: &fdsToClose)
        if !combine { closeAndForget(errPipe.write, in: &fdsToClose) }

        var pendingInput = stdin ?? Data()
        if stdin != nil && pendingInput.isEmpty {
            closeAndForget(stdinWrite, in: &fdsToClose)
            stdinWrite = -1
        }
        var outOpen = true
        var errOpen = !combine
        var exitStatus: Int32?
        var exitedAt: Date?
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)

        while true {
            if exitStatus == nil, let status = reap(pid, block: false) {
                exitStatus = status
                exitedAt = Date()
            }
            let outputsDone = !outOpen && !errOpen
            if exitStatus != nil {
                // Done when the pipes are drained; a grandchild holding them
                // open gets two seconds of grace.
                if outputsDone || Date().timeIntervalSince(exitedAt!) > 2 { break }
            }
            if Date() >= deadline {
                kill(pid, SIGKILL)
                result.timedOut = true
                exitStatus = reap(pid, block: true)
                break
            }

            var pollFDs: [pollfd] = []
            if outOpen { pollFDs.append(pollfd(fd: outPipe.read, events: Int16(POLLIN), revents: 0)) }
            if errOpen { pollFDs.append(pollfd(fd: errPipe.read, events: Int16(POLLIN), revents: 0)) }
            if stdinWrite >= 0 { pollFDs.append(pollfd(fd: stdinWrite, events: Int16(POLLOUT), revents: 0)) }
            // Short slices: the child's exit is noticed by polling waitpid.
            let slice = Int32(max(1, min(50, deadline.timeIntervalSinceNow * 1000)))
            if pollFDs.isEmpty {
                usleep(UInt32(slice) * 1000)
                continue
            }
            let ready = poll(&pollFDs, nfds_t(pollFDs.count), slice)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in pollFDs where entry.revents != 0 {
                if entry.fd == stdinWrite {
                    if entry.revents & Int16(POLLOUT) != 0 {
                        let written = pendingInput.withUnsafeBytes { raw in
                            write(stdinWrite, raw.baseAddress, raw.count)
                        }
                        if written > 0 {
                            pendingInput.removeFirst(written)
                        }
                        if pendingInput.isEmpty || (written < 0 && errno != EAGAIN && errno != EINTR) {
                            closeAndForget(stdinWrite, in: &fdsToClose)
                            stdinWrite = -1
                        }
                    } else {
                        // POLLERR/POLLHUP: the child closed its stdin.
                        closeAndForget(stdinWrite, in: &fdsToClose)
                        stdinWrite = -1
                    }
                    continue
                }
                let n = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    if entry.fd == outPipe.read {
                        result.stdout.append(contentsOf: buffer[0..<n])
                    } else {
                        result.stderr.append(contentsOf: buffer[0..<n])
                    }
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    if entry.fd == outPipe.read { outOpen = false } else { errOpen = false }
                }
            }
        }
        result.status = exitStatus ?? -1
        if result.timedOut {
            let note = "[CurateTestSupport watchdog: killed \(executable) after \(Int(timeout)) s]\n"
            if combine {
                result.stdout.append(Data(note.utf8))
            } else {
                result.stderr.append(Data(note.utf8))
            }
        }
        return result
    }

    private static func failed(_ result: inout SubprocessOutput, _ message: String) -> SubprocessOutput {
        result.status = 127
        result.spawnError = message
        result.stderr.append(Data("\(message)\n".utf8))
        return result
    }

    private static func closeAndForget(_ fd: Int32, in list: inout [Int32]) {
        guard fd >= 0 else { return }
        if let index = list.firstIndex(of: fd) {
            list.remove(at: index)
        }
        close(fd)
    }

    /// waitpid; returns the decoded status once the child has ended.
    static func reap(_ pid: pid_t, block: Bool) -> Int32? {
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, block ? 0 : WNOHANG)
            if r == pid { return decodeWaitStatus(status) }
            if r < 0 && errno == EINTR { continue }
            if r < 0 { return -1 }  // not our child any more (already reaped)
            return nil
        }
    }

    /// Exit code, or 128 + signal (the shell's convention).
    static func decodeWaitStatus(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        if signal == 0 { return (status >> 8) & 0xff }
        return 128 + signal
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }

    /// Calls `body` with a NULL-terminated C array of the strings.
    static func withCStrings<R>(
        _ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R
    ) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for p in pointers { free(p) } }
        return body(pointers)
    }

    /// Searches PATH for a program.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
