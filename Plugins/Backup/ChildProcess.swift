import CurateKit
import Foundation

/// A program that only reads files (pg_restore -f /dev/null, a checksum program), started now
/// and waited for later, so that several of them run at the same time: the reads of a backup's
/// parts and its checksum, after pg_dump has left the cores free.
///
/// `ClientProgram` runs one program at a time and waits for it; these programs need no
/// connection and no password, so they are spawned here directly. Their output goes to files,
/// never to pipes: a child blocked on a full pipe while we wait for another one would never end.
final class ChildProcess {
    /// How a child ended.
    struct Termination: Sendable, Equatable {
        /// The exit status; 128 + N when signal N ended it.
        var status: Int32
        var signal: Int32?
        var cancelled: Bool
        var succeeded: Bool { status == 0 && signal == nil && !cancelled }
    }

    let path: String
    private let pid: pid_t
    private var termination: Termination?

    /// Starts `path` with `arguments`; standard output and error go to the given files (created
    /// 0600), or to /dev/null.
    init(_ path: String, _ arguments: [String], stdout: String? = nil, stderr: String? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        // The child starts with default signal handling and nothing blocked, whatever curate set
        // for itself (its SIGINT handler, an ignored SIGPIPE).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGPIPE, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attributes, &noMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        // No connection, so no password: PGPASSWORD stays with curate.
        let envp = ProcessInfo.processInfo.environment.filter { $0.key != "PGPASSWORD" }
            .map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard status == 0 else { throw CommandError("cannot start \(path): \(String(cString: strerror(status)))") }
        self.path = path
        self.pid = pid
    }

    /// Waits until the child ends. When `cancelled` turns true (Ctrl-C) it is sent SIGTERM.
    /// The wait polls every 5 ms rather than blocking in `waitpid`, because a blocked wait could
    /// not notice the cancellation; 5 ms is nothing next to a read of a backup.
    @discardableResult
    func wait(cancelled: () -> Bool = { false }) -> Termination {
        if let termination { return termination }
        var status: Int32 = 0
        var wasCancelled = false
        while true {
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid { break }
            if waited < 0 && errno != EINTR {
                status = 0x7f00  // lost (ECHILD): reported as exit status 127
                break
            }
            if !wasCancelled && cancelled() {
                wasCancelled = true
                kill(pid, SIGTERM)
            }
            _ = poll(nil, 0, 5)
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros: decoded by hand.
        let signal = status & 0x7f
        let ended = signal == 0
            ? Termination(status: (status >> 8) & 0xff, signal: nil, cancelled: wasCancelled)
            : Termination(status: 128 + signal, signal: signal, cancelled: wasCancelled)
        termination = ended
        return ended
    }

    deinit {
        // Never leave a child behind (an error thrown between start and wait): end it and reap it.
        if termination == nil {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
    }
}
