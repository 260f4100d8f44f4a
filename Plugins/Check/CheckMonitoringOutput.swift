import BackupPlugin
import CurateChecks
import CurateKit
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `\check --format prometheus` and `--format nagios`.
extension CheckCommand {
    func writePrometheus(_ outcomes: [CheckOutcome], standby: ReplayLag?, context: CommandContext) throws {
        let database = context.session.info.database
        let backup = LastBackup.figures(database: database, directory: BackupFiles.directory(option: nil, context: context))
        var text = PrometheusMetrics.text(outcomes: outcomes, database: database, backup: backup)
        if let standby { text = PrometheusMetrics.adding(standby.metrics, database: database, to: text) }
        guard let output else {
            context.console.print(text, newline: false)
            return
        }
        try AtomicFile.write(text, to: BackupFiles.expand(output))
    }

    /// One line; in a script, the status ends it with Nagios's exit status.
    func printNagios(_ outcomes: [CheckOutcome], standby: ReplayLag?, context: CommandContext) throws {
        var status = NagiosStatus(outcomes: outcomes)
        if let standby { status = status.adding(standby) }
        context.console.print(status.line)
        context.console.flush()
        if status.exitStatus != 0 { throw ScriptExitRequest(status: status.exitStatus) }
    }
}

/// The age and verification of a database's newest backup, from the manifests in the backup
/// folder (`\backup`'s `BACKUP_DIR`).
enum LastBackup {
    static func figures(database: String, directory: String) -> PrometheusMetrics.Backup? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        var newest: (BackupTimestamp, BackupManifest)?
        for name in names where name.hasSuffix(".manifest") {
            // A manifest that cannot be read says nothing about the newest backup's age.
            guard let manifest = (try? BackupManifest.read(path: directory + "/" + name)) ?? nil,
                  manifest.database == database, let created = BackupTimestamp(manifest.created) else { continue }
            if newest.map({ $0.0 < created }) ?? true { newest = (created, manifest) }
        }
        guard let (created, manifest) = newest else { return nil }
        return PrometheusMetrics.Backup(database: database, ageSeconds: max(0, seconds(BackupTimestamp.now()) - seconds(created)),
                                        verified: manifest.state == .verified)
    }

    /// Local wall-clock seconds since 1970 (the stamps are local times).
    static func seconds(_ t: BackupTimestamp) -> Double {
        Double(t.dayNumber * 86400 + t.hour * 3600 + t.minute * 60 + t.second) + Double(t.microsecond) / 1e6
    }
}

/// A file replaced in one step: written to a temporary name in the same folder, flushed to
/// disk, then renamed over the old one, so a reader (node_exporter) never sees half of it.
enum AtomicFile {
    static func write(_ text: String, to path: String) throws {
        let temporary = path + ".tmp\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CommandError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { posixWrite(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                unlink(temporary)
                throw CommandError("cannot write \(temporary): \(reason)")
            }
            offset += written
        }
        fsync(descriptor)
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CommandError("cannot rename \(temporary) to \(path): \(reason)")
        }
    }
}

private func posixWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
