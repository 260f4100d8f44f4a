import Foundation

/// Real psql run as curate is run by `CurateProcess`, so the two can be compared byte for byte:
/// the same environment (no PG* variables), the same connection options first, stdout and
/// stderr in one pipe in the order written.
public enum PsqlProcess {
    public struct Output: Sendable {
        /// stdout and stderr, interleaved as written.
        public let combined: String
        public let status: Int32
    }

    /// Runs psql in `database` with `arguments`; `stdin` text through a pipe (nil: /dev/null).
    public static func run(in database: TestDatabase, arguments: [String], stdin: String? = nil, timeout: TimeInterval = 120) -> Output {
        let output = Subprocess.run(
            executable: TestServer.psqlPath,
            arguments: database.curateArguments + arguments,
            environment: Subprocess.baseEnvironment(),
            stdin: stdin.map { Data($0.utf8) },
            combine: true,
            timeout: timeout)
        return Output(combined: String(decoding: output.stdout, as: UTF8.self), status: output.status)
    }
}
