import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private primary and a streaming hot standby of it, for `\check --on standby`: the primary
/// is a `PrivateServer` (the sample template loaded), the standby is made from it with
/// `pg_basebackup -R` (a replication slot keeps the WAL it needs) by the server version's own
/// programs (CURATE_TEST_PGBIN), in folders of its own, started as the postgres user. Both listen
/// on Unix sockets only, each in its own socket folder.
///
///     let pair = try StandbyPair.start()
///     defer { pair.shutdown() }
///     let db = try pair.primary.createDatabase()
///     try pair.waitForReplay()        // the standby has replayed all the primary has written
public final class StandbyPair: @unchecked Sendable {
    public let primary: PrivateServer
    public let standby: PrivateServer

    /// The suite's pair, set for the tests a scoping trait runs.
    @TaskLocal public static var current: StandbyPair?

    private init(primary: PrivateServer, standby: PrivateServer) {
        self.primary = primary
        self.standby = standby
    }

    /// Starts a primary, then a standby of it, and waits until the standby has caught up.
    public static func start() throws -> StandbyPair {
        let primary = try PrivateServer.start()
        do {
            let standby = try primary.startStandby()
            let pair = StandbyPair(primary: primary, standby: standby)
            try pair.waitForReplay()
            return pair
        } catch {
            primary.shutdown()
            throw error
        }
    }

    /// Stops and removes both servers.
    public func shutdown() {
        standby.shutdown()
        primary.shutdown()
    }

    /// `CURATE_STANDBY`'s value naming the standby (the rest is the session's).
    public var standbyConnectionString: String { "host=\(standby.socketDirectory) port=\(standby.port)" }

    /// Waits until the standby has replayed everything the primary had written when called
    /// (its replay position at or past the primary's): asked again every 50 ms, at most
    /// `attempts` times.
    public func waitForReplay(attempts: Int = 1200) throws {
        let target = try primary.server.psql("SELECT pg_catalog.pg_current_wal_lsn()", database: "postgres")
        try poll("the standby to replay up to \(target)", attempts: attempts) {
            try standby.server.psql("SELECT pg_catalog.pg_last_wal_replay_lsn() >= '\(target)'::pg_lsn", database: "postgres") == "t"
        }
    }

    /// Pauses replay on the standby and waits until it has paused (what arrives from now on is
    /// received, not replayed).
    public func pauseReplay(attempts: Int = 1200) throws {
        _ = try standby.server.psql("SELECT pg_catalog.pg_wal_replay_pause()", database: "postgres")
        try poll("replay to pause", attempts: attempts) {
            try standby.server.psql("SELECT pg_catalog.pg_is_wal_replay_paused() AND pg_catalog.pg_get_wal_replay_pause_state() = 'paused'",
                                    database: "postgres") == "t"
        }
    }

    /// Resumes replay on the standby.
    public func resumeReplay() throws {
        _ = try standby.server.psql("SELECT pg_catalog.pg_wal_replay_resume()", database: "postgres")
    }

    private func poll(_ what: String, attempts: Int, _ condition: () throws -> Bool) throws {
        for _ in 0..<attempts {
            if try condition() { return }
            usleep(50_000)
        }
        throw TestSupportError.spawnFailed("gave up waiting for \(what) after \(attempts) attempts\nstandby log:\n\(standby.logTail)")
    }
}

extension PrivateServer {
    /// A streaming hot standby of this server: `pg_basebackup -R -X stream` with a replication
    /// slot of its own, into a new private folder, started on a socket folder of its own.
    func startStandby() throws -> PrivateServer {
        let directory = try Self.makeTemporaryFolder("curate-standby")
        let socketDirectory: String
        do {
            socketDirectory = try Self.makeTemporaryFolder("curate-sock")
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        let standby = PrivateServer(directory: directory, socketDirectory: socketDirectory, port: "5433")
        Registry.shared.add(standby)
        do {
            if getuid() == 0 {
                try Self.shell("chown postgres: \"$1\" \"$2\" && chmod 700 \"$1\" \"$2\"", [directory, socketDirectory])
            }
            let slot = "curate_standby_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
            try Self.shell(
                ". \"$1/scripts/pgserver.sh\" && pgserver__as_owner \"$(pgserver_bindir)/pg_basebackup\" -h \"$2\" -p \"$3\" -U postgres"
                    + " -D \"$4/data\" -R -X stream -c fast --no-sync -C -S \"$5\"",
                [CurateBinary.packageRoot.path, self.socketDirectory, self.port, directory, String(slot)], environment: Self.serverPrograms)
            try standby.start()
        } catch {
            standby.shutdown()
            throw error
        }
        return standby
    }
}
