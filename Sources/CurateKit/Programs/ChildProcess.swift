import Foundation

/// A program that needs no connection (a `pg_restore -f /dev/null` read, `gzip -dc`), started
/// now and waited for later, so that several run at the same time: the backup plugin reads a
/// backup's parts this way, and the restore plugin feeds `gzip -dc` into psql. `run` runs one to
/// its end instead, reading its output as it comes.
///
/// `ClientProgram` runs one PostgreSQL client at a time, connected as the session, and waits
/// for it. These programs get no password. A program given by name is found on `PATH`. The
/// output of a child started here goes to files or to a descriptor the caller reads in turn,
/// never to a pipe nobody reads: a child blocked on a full pipe while the caller waits for
/// another one would never end.
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

    /// Where a started child's standard output or error goes.
    public enum Destination {
        /// Thrown away (`/dev/null`).
        case discard
        /// A new file (mode 0600, truncated when it exists).
        case file(String)
        /// An open descriptor of the caller's (e.g. the write end of a pipe); not closed here.
        case descriptor(Int32)
    }

    /// The program's path.
    public let path: String
    private let pid: pid_t
    private var termination: Termination?

    /// Starts `program` (a name looked up on `PATH`, or a path) with `arguments`; standard input
    /// is /dev/null. The child gets curate's environment without `PGPASSWORD`: it has no
    /// connection, so no password.
    public init(_ program: String, _ arguments: [String], stdout: Destination = .discard, stderr: Destination = .discard) throws {
        let path = try ProgramPath.require(program)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        for (target, destination) in [(Int32(1), stdout), (Int32(2), stderr)] {
            switch destination {
            case .discard: posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
            case .file(let file): posix_spawn_file_actions_addopen(&actions, target, file, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            case .descriptor(let fd): posix_spawn_file_actions_adddup2(&actions, fd, target)
            }
        }
        switch ChildSpawn.spawn(path, arguments: arguments, environment: ClientProgram.currentEnvironment(), actions: &actions) {
        case .success(let pid):
            self.path = path
            self.pid = pid
        case .failure(let failure):
            throw CommandError("cannot start \(path): \(failure.message)")
        }
    }

    /// Runs `program` (a name looked up on `PATH`, or a path) to its end, without a connection;
    /// output is captured, read by line or by block as it comes, written to a file or discarded.
    /// Throws only when it cannot be started; a failing program is a `Result` with a non-zero status.
    public static func run(
        _ program: String, _ arguments: [String],
        stdin: ClientProgram.Input = .null, stdout: ClientProgram.Output = .capture, stderr: ClientProgram.Output = .capture,
        cancelled: () -> Bool = { false }, tick: (() -> Void)? = nil
    ) throws -> ClientProgram.Result {
        try ProgramRun.run(path: ProgramPath.require(program), arguments: arguments, environment: ClientProgram.currentEnvironment(),
                           stdin: stdin, stdout: stdout, stderr: stderr, cancelled: cancelled, tick: tick)
    }

    /// Waits until the child ends. When `cancelled` turns true (Ctrl-C) it is sent SIGTERM, and
    /// SIGKILL five seconds later, as `run` does.
    /// The wait polls every 5 ms rather than blocking in `waitpid`, because a blocked wait could
    /// not notice the cancellation; 5 ms is nothing next to a read of a backup.
    @discardableResult
    public func wait(cancelled: () -> Bool = { false }) -> Termination {
        if let termination { return termination }
        var status: Int32 = 0
        var wasCancelled = false
        var terminateSent: Double?
        while true {
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid { break }
            if waited < 0 && errno != EINTR {
                status = 0x7f00  // lost (ECHILD): reported as exit status 127
                break
            }
            if let sent = terminateSent {
                if Progress.now() - sent > 5 { kill(pid, SIGKILL) }
            } else if cancelled() {
                wasCancelled = true
                terminateSent = Progress.now()
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
