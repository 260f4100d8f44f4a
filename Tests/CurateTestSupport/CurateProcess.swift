import Foundation

/// What one run of curate printed, and how it ended.
public struct CurateResult: Sendable, CustomStringConvertible {
    /// What curate wrote to fd 1 (empty in `.combined` mode).
    public let stdout: String
    /// What curate wrote to fd 2 (empty in `.combined` mode).
    public let stderr: String
    /// In `.combined` mode: fd 1 and fd 2 were the same pipe, so this is the
    /// true interleaving, as a terminal would show it (a transcript).
    /// In `.separate` mode: stdout followed by stderr (NOT interleaved).
    public let combined: String
    /// Exit code, or 128 + signal number; 127 when curate could not be started.
    public let status: Int32
    /// The watchdog killed curate (a note saying so ends stderr/combined).
    public let timedOut: Bool
    public let mode: CurateProcess.OutputMode

    public var description: String {
        var text = "curate exited with status \(status)\(timedOut ? " (killed by the watchdog)" : "")\n"
        if mode == .combined {
            text += "--- stdout+stderr ---\n\(combined)"
        } else {
            text += "--- stdout ---\n\(stdout)--- stderr ---\n\(stderr)"
        }
        return text
    }
}

/// Runs the built curate as a child process, the way a script would.
public enum CurateProcess {
    public enum OutputMode: Sendable {
        /// stdout and stderr in separate pipes.
        case separate
        /// stdout and stderr in one pipe, so `combined` is in true order.
        case combined
    }

    /// The watchdog: a run that takes longer is killed (SIGKILL) and reported.
    public static let defaultTimeout: TimeInterval = 120

    /// A private HOME for curate runs (no history or rc files of the developer's).
    public static let isolatedHome: String = {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("curate-test-home-\(getpid())", isDirectory: true)
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // Removed when the test process exits.
        atexit {
            try? FileManager.default.removeItem(atPath: CurateProcess.isolatedHome)
        }
        return dir.path
    }()

    /// Runs curate with `arguments`; `stdin` text is fed through a pipe (nil:
    /// /dev/null). The environment is the test runner's without PG* variables,
    /// with HOME set to a private folder, then `environment` on top.
    public static func run(
        arguments: [String],
        stdin: String? = nil,
        environment: [String: String] = [:],
        mode: OutputMode = .separate,
        timeout: TimeInterval = defaultTimeout,
        executable: URL? = nil
    ) -> CurateResult {
        run(arguments: arguments, stdinData: stdin.map { Data($0.utf8) }, environment: environment,
            mode: mode, timeout: timeout, executable: executable)
    }

    /// The same with binary standard input.
    public static func run(
        arguments: [String],
        stdin: Data,
        environment: [String: String] = [:],
        mode: OutputMode = .separate,
        timeout: TimeInterval = defaultTimeout,
        executable: URL? = nil
    ) -> CurateResult {
        run(arguments: arguments, stdinData: stdin, environment: environment,
            mode: mode, timeout: timeout, executable: executable)
    }

    /// Runs curate in `database` (its -h -p -U -d come first).
    public static func run(
        in database: TestDatabase,
        arguments: [String],
        stdin: String? = nil,
        environment: [String: String] = [:],
        mode: OutputMode = .separate,
        timeout: TimeInterval = defaultTimeout
    ) -> CurateResult {
        run(arguments: database.curateArguments + arguments, stdin: stdin, environment: environment,
            mode: mode, timeout: timeout)
    }

    private static func run(
        arguments: [String],
        stdinData: Data?,
        environment: [String: String],
        mode: OutputMode,
        timeout: TimeInterval,
        executable: URL?
    ) -> CurateResult {
        var env = Subprocess.baseEnvironment()
        env["HOME"] = isolatedHome
        env.merge(environment) { _, new in new }
        let binary = (executable ?? CurateBinary.url).path
        let output = Subprocess.run(
            executable: binary,
            arguments: arguments,
            environment: env,
            stdin: stdinData,
            combine: mode == .combined,
            timeout: timeout)
        var stderr = String(decoding: output.stderr, as: UTF8.self)
        if output.spawnError != nil {
            stderr = "CurateTestSupport: cannot start curate at \(binary): \(output.spawnError!)\n"
                + "(build it with `swift build`, or set CURATE_BIN)\n"
        }
        let stdout = String(decoding: output.stdout, as: UTF8.self)
        switch mode {
        case .separate:
            return CurateResult(stdout: stdout, stderr: stderr, combined: stdout + stderr,
                                status: output.status, timedOut: output.timedOut, mode: mode)
        case .combined:
            return CurateResult(stdout: "", stderr: output.spawnError == nil ? "" : stderr,
                                combined: stdout + (output.spawnError == nil ? "" : stderr),
                                status: output.status, timedOut: output.timedOut, mode: mode)
        }
    }
}
