import Foundation

/// A program that needs no connection (a `pg_restore -f /dev/null` read, a checksum program),
/// started now and waited for later, so that several run at the same time: the backup plugin
/// reads a backup's parts and computes its checksum this way.
///
/// `ClientProgram` runs one PostgreSQL client at a time, connected as the session, and waits
/// for it. These programs get no password. Their output goes to files, never to pipes: a child
/// blocked on a full pipe while the caller waits for another one would never end.
public final class ChildProcess {
    /// How a child ended.
    public struct Termination: Sendable, Equatable {
        /// The exit status; 128 + N when signal N ended it.
        public var status: Int32
        /// The signal that ended it, if one did.
        public var signal: Int32?
        /// It was sent SIGTERM because the wait was cancelled.
        public var cancelled: Bool
        /// Exit status 0, no signal, not cancelled.
        public var succeeded: Bool { status == 0 && signal == nil && !cancelled }
    }

    /// The program's path.
    public let path: String
    private let pid: pid_t
    private var termination: Termination?

    /// Starts `path` with `arguments`; standard output and error go to the given files (created
    /// 0600), or to /dev/null. The child gets curate's environment without `PGPASSWORD`: it has
    /// no connection, so no password.
    public init(_ path: String, _ arguments: [String], stdout: String? = nil, stderr: String? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let environment = ProcessInfo.processInfo.environment.filter { $0.key != "PGPASSWORD" }
        switch ChildSpawn.spawn(path, arguments: arguments, environment: environment, actions: &actions) {
        case .success(let pid):
            self.path = path
            self.pid = pid
        case .failure(let failure):
            throw CommandError("cannot start \(path): \(failure.message)")
        }
    }

    /// Waits until the child ends. When `cancelled` turns true (Ctrl-C) it is sent SIGTERM.
    /// The wait polls every 5 ms rather than blocking in `waitpid`, because a blocked wait could
    /// not notice the cancellation; 5 ms is nothing next to a read of a backup.
    @discardableResult
    public func wait(cancelled: () -> Bool = { false }) -> Termination {
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
