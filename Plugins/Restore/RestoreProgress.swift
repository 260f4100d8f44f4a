import BackupPlugin
import CurateKit
import Foundation

/// The progress line of a restore: tables done out of the total, and how large the target
/// database has grown ("restore into fitsdata_r [#####     ] 2/4 tables, 120.3 MB restored").
///
/// The size is `pg_database_size` on the session's connection, asked at most twice a second,
/// only while the line is drawn and only when the session is idle: a query that fails inside
/// the user's open transaction would end it.
final class RestoreProgress {
    private let progress: CurateKit.Progress
    private let context: CommandContext
    private let target: String
    private var tables = TableCount()
    private var copied = 0
    private var lastMeasured = 0.0

    init(context: CommandContext, target: String, total: Int?) {
        self.context = context
        self.target = target
        progress = context.progress("restore into \(target)", total: total)
        progress.detail = "tables"
    }

    /// Takes a line of pg_restore's `--verbose` output (`TableCount`); false when it says
    /// nothing about tables.
    func take(_ line: String) -> Bool {
        guard tables.take(line) else { return false }
        progress.update(done: tables.done)
        return true
    }

    /// psql finished a table's COPY.
    func tableCopied() {
        copied += 1
        progress.update(done: copied)
    }

    /// Called while the restore runs (ClientProgram's tick, ten times a second).
    func tick() {
        let now = ProcessInfo.processInfo.systemUptime
        guard progress.isVisible, context.session.transactionState == .idle, now - lastMeasured >= 0.5 else { return }
        lastMeasured = now
        guard let bytes = (try? context.session.execute("SELECT pg_database_size($1)", [target]))?.rows.first?[0].flatMap({ Int64($0) })
        else { return }
        progress.detail = "tables, \(BackupFiles.humanSize(bytes)) restored"
    }

    func finish() { progress.finish() }
}
