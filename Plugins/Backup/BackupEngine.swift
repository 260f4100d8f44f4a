import ArgumentParser
import CurateKit
import Foundation

/// What takes the backups: pg_dump (logical, one database, curate's own files) or pgBackRest
/// (physical, the whole cluster, pgBackRest's repository).
public enum BackupEngine: String, Sendable, CaseIterable, ExpressibleByArgument {
    case pgDump = "pg_dump"
    case pgbackrest

    /// `--engine`, else `\set BACKUP_ENGINE`, else `$CURATE_BACKUP_ENGINE`, else pg_dump.
    public static func resolve(option: BackupEngine?, variables: Variables) throws -> BackupEngine {
        if let option { return option }
        let configured = [variables["BACKUP_ENGINE"], ProcessInfo.processInfo.environment["CURATE_BACKUP_ENGINE"]]
            .compactMap { $0 }.first { !$0.isEmpty }
        guard let configured else { return .pgDump }
        guard let engine = BackupEngine(rawValue: configured) else {
            throw CommandError("BACKUP_ENGINE is \(configured): use pg_dump or pgbackrest")
        }
        return engine
    }
}

/// pgBackRest's backup types.
public enum PgBackRestBackupType: String, Sendable, CaseIterable, ExpressibleByArgument {
    case full, diff, incr
}
