import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A private primary whose WAL is archived to a private pgBackRest repository: the fixture of
/// the pgBackRest engine's tests.
///
/// The cluster is a `PrivateServer` started with `archive_mode=on` and an `archive_command`
/// running `pgbackrest archive-push %p`, configured entirely by environment variables (the
/// same ones `environment` gives to curate). The repository, pgBackRest's log and lock folders
/// and its (empty) config file live in one private folder owned by `postgres` when the tests
/// run as root (pgBackRest must run as the cluster's owner).
///
///     let cluster = try PgBackRestCluster.start()
///     defer { cluster.shutdown() }
///     CurateProcess.run(in: db, arguments: [...], environment: cluster.environment)
public final class PgBackRestCluster: @unchecked Sendable {
    public let server: PrivateServer
    /// Holds `repo`, `log`, `lock` and `empty.conf`.
    public let folder: String
    public let stanza: String
    /// The `PGBACKREST_*` variables that configure pgBackRest for this cluster.
    public let environment: [String: String]

    /// The suite's cluster, set by a scoping trait.
    @TaskLocal public static var current: PgBackRestCluster?

    private init(server: PrivateServer, folder: String, stanza: String, environment: [String: String]) {
        self.server = server
        self.folder = folder
        self.stanza = stanza
        self.environment = environment
    }

    /// The newest PostgreSQL major version the installed pgBackRest supports (from its release
    /// notes: 2.47 added 16, 2.53 added 17, 2.56 added 18); 0 when pgBackRest is missing.
    public static let newestSupportedServer: Int = {
        guard let path = Subprocess.which("pgbackrest") else { return 0 }
        let output = Subprocess.run(executable: path, arguments: ["version"], environment: Subprocess.baseEnvironment(),
                                    stdin: nil, combine: true, timeout: 30)
        let text = String(decoding: output.stdout, as: UTF8.self)
        let number = text.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        let parts = number.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2 else { return 0 }
        let minor = parts[0] * 100 + parts[1]
        switch minor {
        case 256...: return 18
        case 253...: return 17
        case 247...: return 16
        default: return 15
        }
    }()

    /// True when pgBackRest is installed and supports the test server's version: pgBackRest
    /// 2.45 (Debian 12's) stops at PostgreSQL 15, so with CURATE_TEST_PGBIN naming 18 these
    /// tests cannot run and say so.
    public static var isUsable: Bool {
        newestSupportedServer > 0 && serverMajorVersion > 0 && serverMajorVersion <= newestSupportedServer
    }

    /// Why the pgBackRest suites do not run here, in one line.
    public static var skipReason: String {
        newestSupportedServer == 0 ? "pgbackrest is not installed (scripts/install-deps.sh installs it)"
            : "the installed pgBackRest supports PostgreSQL up to \(newestSupportedServer); the test server is \(serverMajorVersion)"
    }

    /// The major version of the private cluster's server programs (CURATE_TEST_PGBIN, else the newest installed).
    public static let serverMajorVersion: Int = {
        let bin = PrivateServer.serverPrograms["PG_BINDIR"] ?? {
            let folders = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
            return folders.compactMap(Int.init).max().map { "/usr/lib/postgresql/\($0)/bin" } ?? ""
        }()
        let output = Subprocess.run(executable: bin + "/postgres", arguments: ["--version"], environment: Subprocess.baseEnvironment(),
                                    stdin: nil, combine: true, timeout: 30)
        let text = String(decoding: output.stdout, as: UTF8.self)
        let number = text.split(separator: " ").first { $0.first?.isNumber == true } ?? ""
        return Int(number.prefix { $0.isNumber }) ?? 0
    }()

    public static func start(stanza: String = "curate") throws -> PgBackRestCluster {
        let folder = try PrivateServer.makeTemporaryFolder("curate-pgbr")
        for sub in ["repo", "log", "lock"] {
            try FileManager.default.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: false)
        }
        _ = FileManager.default.createFile(atPath: folder + "/empty.conf", contents: Data())
        if getuid() == 0 {
            try PrivateServer.shell("chown -R postgres: \"$1\" && chmod 700 \"$1\"", [folder])
        }
        // The data directory and socket are known only once the server exists.
        var settings = [
            "PGBACKREST_STANZA": stanza,
            "PGBACKREST_REPO1_PATH": folder + "/repo",
            "PGBACKREST_LOG_PATH": folder + "/log",
            "PGBACKREST_LOCK_PATH": folder + "/lock",
            "PGBACKREST_CONFIG": folder + "/empty.conf",
        ]
        // archive-push needs pg1-path, known once the server exists: archive_command is set
        // then with ALTER SYSTEM (a reload is enough for it; archive_mode needs the start).
        let options = "-c wal_level=replica -c archive_mode=on"
        let server: PrivateServer
        do {
            server = try PrivateServer.start(seedSize: 1, options: options)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        settings["PGBACKREST_PG1_PATH"] = server.directory + "/data"
        settings["PGBACKREST_PG1_PORT"] = server.port
        settings["PGBACKREST_PG1_SOCKET_PATH"] = server.socketDirectory
        let cluster = PgBackRestCluster(server: server, folder: folder, stanza: stanza, environment: settings)
        do {
            _ = try server.server.psql("ALTER SYSTEM SET archive_command = '\(cluster.archiveCommand)'; SELECT pg_reload_conf();",
                                       database: "postgres")
        } catch {
            server.shutdown()
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        return cluster
    }

    /// Runs pgBackRest directly (as the cluster's owner) with this cluster's configuration,
    /// e.g. `info --output=json`; returns its standard output.
    public func pgbackrest(_ arguments: [String]) throws -> String {
        let asOwner = getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []
        let command = asOwner + [Subprocess.which("pgbackrest") ?? "pgbackrest"] + arguments
        let output = Subprocess.run(executable: command[0], arguments: Array(command.dropFirst()),
                                    environment: Subprocess.baseEnvironment().merging(environment) { _, new in new },
                                    stdin: nil, combine: false, timeout: 180)
        guard output.status == 0, !output.timedOut else {
            throw TestSupportError.spawnFailed("pgbackrest \(arguments.joined(separator: " ")) failed with status \(output.status): "
                                               + String(decoding: output.stderr, as: UTF8.self))
        }
        return String(decoding: output.stdout, as: UTF8.self)
    }

    /// Labels and types of the stanza's backup sets (from `info --output=json`), oldest first.
    public func backupSets() throws -> [(label: String, type: String)] {
        let text = try pgbackrest(["--stanza=\(stanza)", "info", "--output=json"])
        guard let stanzas = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]],
              let backups = stanzas.first?["backup"] as? [[String: Any]] else { return [] }
        return backups.compactMap { backup in
            guard let label = backup["label"] as? String, let type = backup["type"] as? String else { return nil }
            return (label, type)
        }
    }

    /// The archive command the fixture set (tests that break archiving put it back).
    public var archiveCommand: String {
        let archiveEnvironment = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return "env \(archiveEnvironment) pgbackrest archive-push %p"
    }

    public func shutdown() {
        server.shutdown()
        try? FileManager.default.removeItem(atPath: folder)
    }
}
