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
    private var tables = 0
    private var lastMeasured = 0.0

    init(context: CommandContext, target: String, total: Int?) {
        self.context = context
        self.target = target
        progress = context.progress("restore into \(target)", total: total)
        progress.detail = "tables"
    }

    /// One more table: pg_restore started on its rows, or psql finished its COPY.
    func tableReached() {
        tables += 1
        progress.update(done: tables)
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
