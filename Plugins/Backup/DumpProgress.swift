import CurateKit

/// The progress line of a running pg_dump: tables done out of the total and the bytes written
/// ("backup fitsdata [##########          ] 2/4 tables, 64.9 MB written ETA 0:16").
///
/// Tables are counted from pg_dump's `--verbose` lines (`TableCount`).
final class DumpProgress {
    private let progress: Progress
    private let path: String
    private var tables = TableCount()

    /// `path` is pg_dump's `--file`, a file or a folder, measured while the line is drawn.
    init(context: CommandContext, label: String, path: String) {
        progress = context.progress(label, total: nil)
        self.path = path
    }

    /// The number of tables whose rows pg_dump copies, once known.
    func setTotal(_ total: Int?) {
        progress.update(done: tables.done, total: total)
    }

    /// Takes one line of pg_dump's standard error; false when it is not about progress.
    func take(_ line: String) -> Bool {
        guard tables.take(line) else { return false }
        progress.update(done: tables.done)
        return true
    }

    /// Called while pg_dump runs (ten times a second): the bytes written so far.
    func tick() {
        guard progress.isVisible else { return }
        progress.detail = "tables, " + BackupFiles.humanSize(BackupFiles.size(path)) + " written"
    }

    func finish() { progress.finish() }
}
