import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A PostgreSQL client program (`pg_dump`, `pg_restore`, `pg_dumpall`, `psql`) run against the
/// session's server, with the session's connection but without ever showing its password to the
/// plugin that starts it.
///
/// - The binary is found in `$CURATE_PGBIN`, else in the newest `/usr/lib/postgresql/N/bin`,
///   else on `PATH`; when it is missing the error names the Debian package `postgresql-client`.
/// - Host, port, user and database go to the child through its environment (`PGHOST`, `PGPORT`,
///   `PGUSER`, `PGDATABASE`), taken from where the session is actually connected.
/// - The password, when the session has one, goes only into a private temporary passfile (mode
///   0600 in a 0700 folder, `PGPASSFILE`) that is deleted when the program ends; it is never on
///   the command line. `-w` is always passed, so the program fails instead of prompting.
/// - The child starts with umask 077, so every file it creates is private.
/// - Output is captured, streamed line by line, written to a file or discarded; the exit status
///   is reported; Ctrl-C (`CommandContext.isCancelled`) ends the child (SIGTERM, then SIGKILL).
///
/// ```swift
/// let dump = try ClientProgram(.pgDump)
/// let result = try dump.run(["--format=c", "--file", path], in: context)
/// guard result.succeeded else { throw CommandError(result.errorSummary) }
/// ```
public struct ClientProgram: Sendable {
    /// The programs that may be started.
    public enum Tool: String, Sendable, CaseIterable {
        /// `pg_dump`: one database to a file.
        case pgDump = "pg_dump"
        /// `pg_restore`: a custom or directory archive back into a database.
        case pgRestore = "pg_restore"
        /// `pg_dumpall`: the cluster's roles and tablespaces (`--globals-only`).
        case pgDumpall = "pg_dumpall"
        /// `psql`: for plain-SQL dumps.
        case psql
    }

    /// Where a child's standard input comes from.
    public enum Input {
        /// Nothing: the child reads end-of-file at once (`/dev/null`).
        case null
        /// A file, opened read-only.
        case file(String)
        /// An open descriptor of the caller's (e.g. the read end of a pipe); not closed here.
        case descriptor(Int32)
    }

    /// Where a child's standard output or error goes.
    public enum Output {
        /// Kept in memory, returned in `Result`.
        case capture
        /// Thrown away (`/dev/null`).
        case discard
        /// The caller's own stdout/stderr.
        case inherit
        /// A new file (mode 0600, truncated when it exists).
        case file(String)
        /// Each line as it arrives (without its newline); a final partial line is delivered too.
        case lines((String) -> Void)
        /// Each block of bytes as it arrives (for output too large to keep, read as it streams).
        case bytes((UnsafeRawBufferPointer) -> Void)
    }

    /// How a finished program ended.
    public struct Result: Sendable {
        /// The exit status; 128 + N when signal N ended it.
        public var status: Int32
        /// The signal that ended it, if one did.
        public var signal: Int32?
        /// Ended because the user cancelled (Ctrl-C).
        public var cancelled: Bool
        /// Standard output, when it was captured (`Output.capture`); empty otherwise.
        public var stdout: [UInt8]
        /// Standard error, when it was captured; empty otherwise.
        public var stderr: [UInt8]
        /// Seconds from start to exit.
        public var duration: Double

        /// Exit status 0, no signal, not cancelled.
        public var succeeded: Bool { status == 0 && signal == nil && !cancelled }
        /// `stdout` as UTF-8 text (invalid bytes replaced).
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        /// `stderr` as UTF-8 text (invalid bytes replaced).
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// A program's `--version`, e.g. major 15 and "pg_dump (PostgreSQL) 15.18 (Debian ...)".
    public struct Version: Sendable, Equatable {
        /// The major version, e.g. 15.
        public var major: Int
        /// The whole `--version` line.
        public var text: String

        /// The version number alone: "15.18" of "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)".
        public var number: String {
            let afterName = text.split(separator: ")", maxSplits: 1).last.map(String.init) ?? text
            return afterName.split(separator: " ").first(where: { $0.first?.isNumber == true }).map(String.init) ?? text
        }
    }

    /// Which program this is.
    public let tool: Tool
    /// The binary that will run.
    public let path: String
    /// Where it was found and its version, when it was chosen for a server (`init(_:forServerVersion:)`).
    public let installation: Installation?

    /// Finds the program; throws a `CommandError` naming the package to install when it is missing.
    public init(_ tool: Tool) throws {
        guard let path = Self.locate(tool) else {
            throw CommandError(
                "\(tool.rawValue) not found: it comes with the PostgreSQL client programs",
                hint: "install the Debian package postgresql-client (apt-get install postgresql-client), or set CURATE_PGBIN to the folder holding \(tool.rawValue)")
        }
        self.tool = tool
        self.path = path
        self.installation = nil
    }

    /// The path of `tool`: `$CURATE_PGBIN/tool`, the newest `/usr/lib/postgresql/N/bin/tool`, or `PATH`.
    public static func locate(_ tool: Tool) -> String? {
        if let folder = getenv("CURATE_PGBIN").map({ String(cString: $0) }), !folder.isEmpty {
            let candidate = folder + "/" + tool.rawValue
            return access(candidate, X_OK) == 0 ? candidate : nil
        }
        for version in debianMajorVersions() {
            let candidate = "/usr/lib/postgresql/\(version)/bin/\(tool.rawValue)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return ProgramPath.find(tool.rawValue)
    }

    /// Runs `--version` (no connection); known without running it when the program was chosen
    /// for a server.
    public func version() throws -> Version {
        if let installation { return installation.version }
        return try Self.version(ofBinary: path)
    }

    /// The major version in a `--version` line: "pg_dump (PostgreSQL) 15.18" gives 15, "... 9.6.24" gives 9.
    public static func majorVersion(of versionLine: String) -> Int? {
        Int(Version(major: 0, text: versionLine).number.prefix(while: { $0.isNumber }))
    }

    /// Runs the program against the session's server, in the session's database or `database`.
    ///
    /// `tick` is called about ten times a second while it runs (for progress). Throws only when the
    /// program cannot be started; a failing program is a `Result` with a non-zero status.
    public func run(
        _ arguments: [String],
        in context: CommandContext,
        database: String? = nil,
        stdin: Input = .null,
        stdout: Output = .capture,
        stderr: Output = .capture,
        environment: [String: String] = [:],
        tick: (() -> Void)? = nil
    ) throws -> Result {
        try run(arguments, session: context.session, database: database, stdin: stdin, stdout: stdout, stderr: stderr,
                environment: environment, cancelled: { context.isCancelled }, tick: tick)
    }

    /// The same with an explicit session and cancellation test.
    public func run(
        _ arguments: [String],
        session: Session,
        database: String? = nil,
        stdin: Input = .null,
        stdout: Output = .capture,
        stderr: Output = .capture,
        environment: [String: String] = [:],
        cancelled: () -> Bool = { false },
        tick: (() -> Void)? = nil
    ) throws -> Result {
        let info = session.info
        var env = Self.currentEnvironment()
        env["PGHOST"] = info.host
        env["PGPORT"] = info.port
        env["PGUSER"] = info.user
        env["PGDATABASE"] = database ?? info.database
        env["PGAPPNAME"] = "curate \(tool.rawValue)"
        // The child reaches the server as securely as the session: the same TLS mode, root
        // certificate, client certificate... (verify-full stays verify-full, not just require).
        let parameters = session.connectionParameters
        for (option, variable) in Self.inheritedOptions {
            if let value = parameters.optionsInUse[option] { env[variable] = value }
        }
        if info.usesSSL, env["PGSSLMODE"] == nil || env["PGSSLMODE"] == "prefer" || env["PGSSLMODE"] == "allow" {
            env["PGSSLMODE"] = "require"
        }
        for (key, value) in environment where key != "PGPASSWORD" && key != "PGPASSFILE" { env[key] = value }

        var passFolder: String?
        defer {
            if let passFolder {
                unlink(passFolder + "/pgpass")
                rmdir(passFolder)
            }
        }
        if let password = parameters.password {
            let folder = try Self.writePassfile(password)
            passFolder = folder
            env["PGPASSFILE"] = folder + "/pgpass"
            env.removeValue(forKey: "PGPASSWORD")
        }
        return try ProgramRun.run(path: path, arguments: ["-w"] + arguments, environment: env, stdin: stdin,
                              stdout: stdout, stderr: stderr, cancelled: cancelled, tick: tick)
    }

    /// Connection options passed on to a child, with the environment variable libpq reads each from.
    static let inheritedOptions: [(String, String)] = [
        ("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("sslcert", "PGSSLCERT"), ("sslkey", "PGSSLKEY"),
        ("sslcrl", "PGSSLCRL"), ("sslcrldir", "PGSSLCRLDIR"), ("sslsni", "PGSSLSNI"), ("requirepeer", "PGREQUIREPEER"),
        ("ssl_min_protocol_version", "PGSSLMINPROTOCOLVERSION"), ("ssl_max_protocol_version", "PGSSLMAXPROTOCOLVERSION"),
        ("gssencmode", "PGGSSENCMODE"), ("connect_timeout", "PGCONNECT_TIMEOUT"), ("target_session_attrs", "PGTARGETSESSIONATTRS"),
    ]

    // MARK: Passfile

    /// A 0700 folder holding a 0600 `pgpass` with one line matching any server: `*:*:*:*:PASSWORD`.
    private static func writePassfile(_ password: String) throws -> String {
        let base = (getenv("TMPDIR").map { String(cString: $0) }).flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/curate-pass.XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CommandError("cannot create a private folder for the password file in \(base): \(String(cString: strerror(errno)))")
        }
        let folder = String(cString: made)
        let file = folder + "/pgpass"
        let descriptor = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            rmdir(folder)
            throw CommandError("cannot create the password file: \(String(cString: strerror(errno)))")
        }
        fchmod(descriptor, 0o600)
        // In a passfile, ':' and '\' are escaped with a backslash.
        var escaped = ""
        for character in password {
            if character == ":" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        let line = Array("*:*:*:*:\(escaped)\n".utf8)
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == line.count else {
            unlink(file)
            rmdir(folder)
            throw CommandError("cannot write the password file")
        }
        return folder
    }

    // MARK: Spawning

    /// curate's environment without `PGPASSWORD`: a child that connects gets the session's
    /// password in a private passfile, one that does not (`--version`) needs none.
    static func currentEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "PGPASSWORD")
        return environment
    }
}
