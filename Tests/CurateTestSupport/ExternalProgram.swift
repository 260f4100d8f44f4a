import Foundation

/// Runs any program the way the tests run curate (pipes, a watchdog, the runner's environment
/// without PG* variables unless `environment` replaces it), for tests that check what other
/// tools make of curate's files (dpkg-deb, ldd, man, bash).
public enum ExternalProgram {
    public struct Output: Sendable, CustomStringConvertible {
        public let stdout: String
        public let stderr: String
        /// Exit code, 128 + signal number, or 127 when it could not be started.
        public let status: Int32
        public let timedOut: Bool

        public var description: String {
            "exited with status \(status)\(timedOut ? " (killed by the watchdog)" : "")\n--- stdout ---\n\(stdout)--- stderr ---\n\(stderr)"
        }
    }

    /// Runs `executable` with `arguments`; `environment` nil gives the runner's (without PG*).
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           stdin: String? = nil, timeout: TimeInterval = 120) -> Output {
        let output = Subprocess.run(
            executable: executable, arguments: arguments, environment: environment ?? Subprocess.baseEnvironment(),
            stdin: stdin.map { Data($0.utf8) }, combine: false, timeout: timeout)
        return Output(stdout: String(decoding: output.stdout, as: UTF8.self), stderr: String(decoding: output.stderr, as: UTF8.self),
                      status: output.status, timedOut: output.timedOut)
    }
}
