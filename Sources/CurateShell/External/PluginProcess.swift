import CurateKit
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A running `curate-NAME` child: its stdin and stdout are pipes to curate, its stderr is
/// curate's own. The other spawners in curate run a program to its end (`ClientProgram`) or hand
/// it the terminal (`ShellCommandProcess`); this one holds a conversation, so reads and writes
/// wait with a deadline and watch for Ctrl-C. All the C of it stays in this file.
///
/// - The child gets exactly fds 0, 1 and 2 (every other descriptor of curate is close-on-exec).
/// - It runs in a process group of its own, so Ctrl-C at the terminal reaches curate only;
///   curate then stops the plugin itself (SIGTERM to the group, SIGKILL after a grace period).
/// - Its environment is curate's without the password variables (`scrubbedEnvironment`).
final class PluginProcess {
    let pid: pid_t
    /// Our end of the child's stdin (non-blocking); -1 once closed.
    private var input: Int32
    /// Our end of the child's stdout (non-blocking); -1 once closed.
    private var output: Int32
    private var buffer: [UInt8] = []
    /// Where the unread part of `buffer` starts, and how far it has been searched for a newline.
    private var start = 0
    private var searched = 0
    private var reachedEnd = false
    private(set) var exitStatus: ExitStatus?

    /// How a child ended.
    enum ExitStatus: Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        var succeeded: Bool { self == .exited(0) }

        var description: String {
            switch self {
            case .exited(let status): return "exit status \(status)"
            case .signalled(let signal):
                let name: String
                switch signal {
                case SIGKILL: name = " (SIGKILL)"
                case SIGTERM: name = " (SIGTERM)"
                case SIGSEGV: name = " (SIGSEGV)"
                case SIGABRT: name = " (SIGABRT)"
                case SIGINT: name = " (SIGINT)"
                case SIGPIPE: name = " (SIGPIPE)"
                default: name = ""
                }
                return "killed by signal \(signal)\(name)"
            }
        }
    }

    /// Why a wait for the child ended without what was waited for.
    enum Interruption: Error, Equatable {
        /// Nothing happened for the allowed time.
        case timedOut
        /// The user pressed Ctrl-C.
        case cancelled
        /// The child closed its end (it exited, or closed its stdin/stdout).
        case closed
        /// A line longer than the protocol allows.
        case lineTooLong
    }

    // MARK: Starting

    /// Variables never passed to a plugin: the password, and where libpq would find one.
    static let scrubbedVariables: Set<String> = ["PGPASSWORD", "PGPASSFILE"]

    /// curate's environment without `scrubbedVariables`, plus `extra`.
    static func scrubbedEnvironment(extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !scrubbedVariables.contains($0.key) }
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// Starts `path` with `arguments` (after argv[0]) and `environment`.
    init(path: String, arguments: [String] = [], environment: [String: String]) throws(CommandError) {
        Self.markDescriptorsCloseOnExec()
        var stdinPipe: [Int32] = [-1, -1]
        var stdoutPipe: [Int32] = [-1, -1]
        guard pipe(&stdinPipe) == 0 else { throw CommandError("cannot create a pipe for the plugin: \(Self.errorText())") }
        guard pipe(&stdoutPipe) == 0 else {
            close(stdinPipe[0]); close(stdinPipe[1])
            throw CommandError("cannot create a pipe for the plugin: \(Self.errorText())")
        }
        for fd in stdinPipe + stdoutPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)

        let spawned = ChildSpawn.spawn(path, arguments: arguments, environment: environment, actions: &actions, ownProcessGroup: true)
        close(stdinPipe[0])
        close(stdoutPipe[1])
        switch spawned {
        case .success(let child): pid = child
        case .failure(let failure):
            close(stdinPipe[1])
            close(stdoutPipe[0])
            throw CommandError("cannot start \(path): \(failure.message)")
        }
        input = stdinPipe[1]
        output = stdoutPipe[0]
        for fd in [input, output] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        #if os(Linux)
        // A bigger pipe lets a batch of rows go in one write (F_SETPIPE_SZ; best effort).
        _ = fcntl(input, 1031, Int32(1 << 20))
        #endif
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        if input >= 0 { close(input) }
        if output >= 0 { close(output) }
        if exitStatus == nil { _ = stop(grace: 0) }
    }

    /// posix_spawn passes every descriptor without close-on-exec to the child: mark them all
    /// (the connection's socket, an `\o` file, the history file), so the plugin gets 0, 1, 2 only.
    private static func markDescriptorsCloseOnExec() {
        #if os(Linux)
        let folder = "/proc/self/fd"
        #else
        let folder = "/dev/fd"
        #endif
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names {
            guard let fd = Int32(name), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0, flags & FD_CLOEXEC == 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    // MARK: Reading

    /// The next line the child wrote (without its newline). `timeout` nil waits without limit;
    /// `cancelled` is asked at least ten times a second.
    func readLine(timeout: Double?, cancelled: () -> Bool) throws(Interruption) -> ArraySlice<UInt8> {
        let deadline = timeout.map { Self.now() + $0 }
        while true {
            if let newline = buffer[searched...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[start..<newline]
                start = newline + 1
                searched = start
                return line
            }
            searched = buffer.count
            if buffer.count - start > PluginProtocol.maximumLineLength { throw .lineTooLong }
            if reachedEnd { throw .closed }
            if cancelled() { throw .cancelled }
            let wait = try Self.pollWait(until: deadline)
            var descriptor = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, wait)
            if ready > 0 { fill() }
        }
    }

    /// Milliseconds for one poll: a tenth of a second, so that cancellation is noticed, or what
    /// is left until `deadline`; throws when the deadline has passed.
    private static func pollWait(until deadline: Double?) throws(Interruption) -> Int32 {
        guard let deadline else { return 100 }
        let left = deadline - now()
        if left <= 0 { throw .timedOut }
        return Int32(min(100, Int(left * 1000) + 1))
    }

    /// Reads what is available into the buffer (dropping the consumed part first).
    private func fill() {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            searched -= start
            start = 0
        }
        let chunk = 1 << 16
        let before = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        let count = buffer.withUnsafeMutableBytes { read(output, $0.baseAddress! + before, chunk) }
        buffer.removeLast(chunk - max(count, 0))
        if count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR) { reachedEnd = true }
    }

    // MARK: Writing

    /// Writes all of `bytes`. Waits while the child's pipe is full, for at most `timeout` without
    /// progress; what the child writes meanwhile is kept for `readLine`, so a plugin that writes
    /// while curate writes never deadlocks the two.
    func write(_ bytes: [UInt8], timeout: Double?, cancelled: () -> Bool) throws(Interruption) {
        var offset = 0
        var deadline = timeout.map { Self.now() + $0 }
        while offset < bytes.count {
            guard input >= 0 else { throw .closed }
            let written = bytes.withUnsafeBytes { raw in
                systemWrite(input, raw.baseAddress! + offset, raw.count - offset)
            }
            if written > 0 {
                offset += written
                deadline = timeout.map { Self.now() + $0 }
                continue
            }
            if written < 0, errno == EINTR { continue }
            if written < 0, errno != EAGAIN { throw .closed }
            if cancelled() { throw .cancelled }
            let wait = try Self.pollWait(until: deadline)
            var descriptors = [pollfd(fd: input, events: Int16(POLLOUT), revents: 0),
                               pollfd(fd: reachedEnd ? -1 : output, events: Int16(POLLIN), revents: 0)]
            if poll(&descriptors, 2, wait) > 0, descriptors[1].revents != 0 { fill() }
        }
    }

    /// Closes the child's stdin: it reads end of file.
    func closeInput() {
        if input >= 0 { close(input) }
        input = -1
    }

    // MARK: Ending

    /// Waits for the child to exit, for at most `timeout` seconds; nil when it has not.
    func waitForExit(timeout: Double, cancelled: () -> Bool = { false }) -> ExitStatus? {
        let deadline = Self.now() + timeout
        while exitStatus == nil {
            reap(blocking: false)
            if exitStatus != nil || Self.now() >= deadline || cancelled() { break }
            // Keep draining its stdout so a chatty child is not blocked on a full pipe.
            if output >= 0, !reachedEnd {
                var descriptor = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
                if poll(&descriptor, 1, 20) > 0 { fill() }
            } else {
                usleep(5_000)
            }
        }
        return exitStatus
    }

    /// Stops the child's process group: SIGTERM, then SIGKILL after `grace` seconds. Returns how
    /// the child ended.
    @discardableResult
    func stop(grace: Double) -> ExitStatus {
        closeInput()
        if exitStatus == nil {
            kill(-pid, SIGTERM)
            if waitForExit(timeout: grace) == nil {
                kill(-pid, SIGKILL)
                reap(blocking: true)
            }
        }
        return exitStatus ?? .signalled(SIGKILL)
    }

    private func reap(blocking: Bool) {
        guard exitStatus == nil else { return }
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if result < 0 && errno == EINTR { continue }
            guard result == pid else {
                if result < 0 { exitStatus = .exited(-1) }  // not our child any more: nothing to wait for
                return
            }
            break
        }
        // WIFEXITED and friends are macros: decode by hand.
        let signal = status & 0x7f
        exitStatus = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    // MARK: Helpers

    static func now() -> Double { MonotonicClock.seconds() }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}

/// `write(2)`, under a name that does not clash with the method.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
