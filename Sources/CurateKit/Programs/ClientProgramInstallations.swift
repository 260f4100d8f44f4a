import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ClientProgram {
    /// One copy of a client program found on this machine.
    public struct Installation: Sendable, Equatable {
        /// The binary.
        public var path: String
        /// What its `--version` said.
        public var version: Version
        /// Where it was found.
        public var origin: Origin
    }

    /// The places client programs are looked for, in this order.
    public enum Origin: String, Sendable {
        /// `$CURATE_PGBIN`: when set, the only place looked at.
        case curatePgbin = "CURATE_PGBIN"
        /// Debian's layout, one folder per major version: `/usr/lib/postgresql/N/bin`.
        case debian = "/usr/lib/postgresql"
        /// The folder `pg_config --bindir` names (an installation from source or another packager).
        case pgConfig = "pg_config --bindir"
        /// A folder on `PATH`.
        case path = "PATH"
    }

    /// The program of the server's major version, else the newest newer one: pg_dump refuses a
    /// server newer than itself, and pg_restore and psql of the server's version know its syntax.
    ///
    /// Throws a one-line `CommandError` saying what to install when no program fits.
    public init(_ tool: Tool, forServerVersion serverVersion: Int) throws {
        let found = Self.installations(of: tool, stoppingAtMajor: serverVersion / 10000)
        let choice = try Self.choose(tool, among: found, serverVersion: serverVersion)
        self.tool = tool
        self.path = choice.path
        self.installation = choice
    }

    /// The program for the server `session` is connected to (see `init(_:forServerVersion:)`).
    public init(_ tool: Tool, for session: Session) throws {
        try self.init(tool, forServerVersion: session.info.serverVersion)
    }

    /// Picks from `installations` the one for a server of `serverVersion` (`PQserverVersion`'s
    /// number, e.g. 180006): the same major version, else the newest newer one.
    public static func choose(_ tool: Tool, among installations: [Installation], serverVersion: Int) throws -> Installation {
        let serverMajor = serverVersion / 10000
        if let same = installations.first(where: { $0.version.major == serverMajor }) { return same }
        if let newer = installations.filter({ $0.version.major > serverMajor }).max(by: { $0.version.major < $1.version.major }) {
            return newer
        }
        let place = getenv("CURATE_PGBIN").map { "CURATE_PGBIN=" + String(cString: $0) }
        let install = "install postgresql-client-\(serverMajor) (apt-get install postgresql-client-\(serverMajor); "
            + "PostgreSQL's own apt repository, apt.postgresql.org, has every version), or set CURATE_PGBIN to the folder holding its \(tool.rawValue)"
        guard let newest = installations.max(by: { $0.version.major < $1.version.major }) else {
            throw CommandError(
                "\(tool.rawValue) not found\(place.map { " in \($0)" } ?? ""): it comes with the PostgreSQL client programs",
                hint: install)
        }
        guard newest.version.major > 0 else {
            throw CommandError("\(newest.path) does not say its version (--version): it cannot be matched to the server (PostgreSQL \(serverMajor))",
                               hint: install)
        }
        throw CommandError(
            "\(tool.rawValue) \(newest.version.number) (\(newest.path)) is older than the server (PostgreSQL \(serverMajor)): "
                + "\(tool.rawValue) must be of the server's major version or newer",
            hint: install)
    }

    /// Every copy of `tool` on this machine with its version: only `$CURATE_PGBIN`'s when that is
    /// set, else Debian's folders (newest first), `pg_config --bindir` and `PATH`, each binary once.
    /// With `stoppingAtMajor`, the search ends at the first copy of that major version, the one
    /// `choose` takes: asking a copy its version starts it (Debian's `pg_dump` on `PATH` is a
    /// Perl wrapper, a tenth of a second), and that was paid before every backup.
    public static func installations(of tool: Tool, stoppingAtMajor major: Int? = nil) -> [Installation] {
        var search = InstallationSearch(stoppingAtMajor: major, version: { try Self.version(ofBinary: $0) })
        if let folder = getenv("CURATE_PGBIN").map({ String(cString: $0) }), !folder.isEmpty {
            search.consider(folder + "/" + tool.rawValue, .curatePgbin)
            return search.found
        }
        for version in debianMajorVersions() { search.consider("/usr/lib/postgresql/\(version)/bin/\(tool.rawValue)", .debian) }
        if !search.isDone, let pgConfig = ProgramPath.find("pg_config"),
           let bindir = try? ProgramRun.run(path: pgConfig, arguments: ["--bindir"], environment: currentEnvironment(),
                                            stdin: .null, stdout: .capture, stderr: .discard, cancelled: { false }, tick: nil),
           bindir.succeeded {
            let folder = bindir.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
            if !folder.isEmpty { search.consider(folder + "/" + tool.rawValue, .pgConfig) }
        }
        let searchPath = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for folder in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            search.consider((folder.isEmpty ? "." : String(folder)) + "/" + tool.rawValue, .path)
        }
        return search.found
    }

    /// The copies found so far, in the order looked at: each executable once (by its real path),
    /// asked its version; nothing more once one of the major version looked for is found.
    struct InstallationSearch {
        let stoppingAtMajor: Int?
        let version: (String) throws -> Version
        private(set) var found: [Installation] = []
        private var seen = Set<String>()

        init(stoppingAtMajor: Int?, version: @escaping (String) throws -> Version) {
            self.stoppingAtMajor = stoppingAtMajor
            self.version = version
        }

        var isDone: Bool { stoppingAtMajor != nil && found.last?.version.major == stoppingAtMajor }

        mutating func consider(_ candidate: String, _ origin: Origin) {
            guard !isDone, access(candidate, X_OK) == 0 else { return }
            let real = realpath(candidate, nil).map { pointer -> String in
                defer { free(pointer) }
                return String(cString: pointer)
            } ?? candidate
            guard seen.insert(real).inserted, let version = try? version(candidate) else { return }
            found.append(Installation(path: candidate, version: version, origin: origin))
        }
    }

    /// The major versions in Debian's `/usr/lib/postgresql/N`, newest first.
    static func debianMajorVersions() -> [Int] {
        var versions: [Int] = []
        if let dir = opendir("/usr/lib/postgresql") {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if let number = Int(name) { versions.append(number) }
            }
            closedir(dir)
        }
        return versions.sorted(by: >)
    }

    /// Runs `path --version` (no connection).
    static func version(ofBinary path: String) throws -> Version {
        let result = try ProgramRun.run(path: path, arguments: ["--version"], environment: currentEnvironment(),
                                        stdin: .null, stdout: .capture, stderr: .capture, cancelled: { false }, tick: nil)
        let text = result.stdoutText.split(separator: "\n").first.map(String.init) ?? ""
        return Version(major: majorVersion(of: text) ?? 0, text: text)
    }
}
