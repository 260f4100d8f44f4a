import ArgumentParser
import CurateKit

/// `\requeue NAME... | --no-canonical`: adds archive files to the ingest queue again, so the ingest
/// daemon reads them from disk anew and rebuilds their diskfile and header rows.
///
/// It shows what it will queue, asks, then inserts the rows in one transaction of its own, or, inside
/// the user's open transaction, in a savepoint of it: a ROLLBACK of the user's transaction takes the
/// queued rows back too.
struct RequeueCommand: CurateCommand {
    static let configuration = CommandConfiguration(
        commandName: "requeue",
        abstract: "Add archive files to the ingest queue again, so the ingest re-reads them from disk.",
        discussion: """
            Each file is queued under the filename and path of its newest diskfile. Files already \
            waiting in the queue (in progress, or pending and not failed) are left alone. Without \
            --yes it asks first; in a script --yes is required.
            """
    )

    /// It inserts into ingestqueue: the shell refuses it up front in a read-only session.
    static var capabilities: CommandCapabilities { [.writesDatabase] }

    /// `--dry-run` only reads, so it is allowed where writing is not (a `--read-only` session).
    var invocationCapabilities: CommandCapabilities { dryRun ? [] : Self.capabilities }

    @Argument(help: "File names, or filenames of their diskfiles.")
    var names: [String] = []

    @Flag(name: .customLong("no-canonical"), help: "Every file that has diskfiles but none of them canonical.")
    var noCanonical = false

    @Flag(help: "Ask the ingest to re-read files even when they look unchanged (ingestqueue.force).")
    var force = false

    @Option(help: "The batch name recorded in ingestqueue.batch.")
    var batch = "curate-requeue"

    @Flag(name: .customLong("dry-run"), help: "Show what would be queued and write nothing.")
    var dryRun = false

    @Flag(help: "Answer yes to the confirmation (needed in scripts).")
    var yes = false

    /// Usage mistakes the parser can judge alone; reported with the command's usage line.
    func validate() throws {
        if names.isEmpty && !noCanonical { throw ValidationError("name at least one file, or pass --no-canonical") }
        if !names.isEmpty && noCanonical { throw ValidationError("give file names or --no-canonical, not both") }
    }

    /// One file to queue: where the ingest will find it.
    struct Target {
        var file: String
        var filename: String
        var path: String
        var alreadyQueued: Bool
    }

    // Where each file is on disk: its newest diskfile (LATERAL ... LIMIT 1 uses the file_id index).
    // `IN (SELECT ...)` becomes one hashed scan of the queue, not one scan per file.
    private static let select = """
        SELECT f.name AS file, d.filename, d.path,
               (d.filename, d.path) IN (SELECT filename, path FROM ingestqueue WHERE fail_dt IS NULL) AS queued
        FROM file f
        LEFT JOIN LATERAL (
            SELECT filename, path FROM diskfile WHERE file_id = f.id ORDER BY entrytime DESC, id DESC LIMIT 1
        ) d ON true
        """
    static let byName = select + """

        WHERE f.id IN (SELECT id FROM file WHERE name = $1 UNION SELECT file_id FROM diskfile WHERE filename = $1)
        """
    static let withoutCanonical = select + """

        WHERE EXISTS (SELECT FROM diskfile WHERE file_id = f.id)
          AND NOT EXISTS (SELECT FROM diskfile WHERE file_id = f.id AND canonical)
        ORDER BY f.name
        """
    // NOT EXISTS again at insert time: the ingest daemon may have queued the file since we looked.
    static let insert = """
        INSERT INTO ingestqueue (filename, path, inprogress, added, force, after, batch, sortkey)
        SELECT $1, $2, false, localtimestamp, $3::boolean, localtimestamp, $4, 'z' || $1
        WHERE NOT EXISTS (SELECT FROM ingestqueue WHERE filename = $1 AND path = $2 AND fail_dt IS NULL)
        """

    func run(context: CommandContext) throws {
        let targets = try findTargets(context)
        guard !targets.isEmpty else {
            context.console.printError("Every file with a diskfile has a canonical one: nothing to queue.")
            return
        }
        let toQueue = targets.filter { !$0.alreadyQueued }

        // The plan, as a table in the user's output format (so `--csv` and `--json` scripts can read it).
        context.printTable(
            columns: ["file", "filename", "path", "action"],
            rows: targets.map { [$0.file, $0.filename, $0.path, $0.alreadyQueued ? "already queued" : "queue"] }
        )
        guard !toQueue.isEmpty else {
            context.console.printError("Nothing to queue: every file is already waiting in the ingest queue.")
            return
        }
        if dryRun {
            context.console.printError("Dry run: nothing was queued.")
            return
        }
        let count = toQueue.count == 1 ? "1 file" : "\(toQueue.count) files"
        guard try context.confirm("Queue \(count) for ingest?", assumeYes: yes) else {
            context.console.printError("Declined: nothing was queued.")
            return
        }

        // One row at a time, so Ctrl-C can stop between rows and the progress line moves. (A single
        // INSERT ... SELECT would be faster still for very large sets, but could be neither.)
        let added: Int
        do {
            let progress = context.progress("requeue", total: toQueue.count)
            defer { progress.finish() }  // clear the line before any message, on success or error
            // `transaction` opens a transaction when none is open (committed at the end), or a
            // savepoint in the user's; a throw (an error, Ctrl-C) rolls it back, so nothing is ever
            // half queued.
            added = try context.session.transaction {
                var added = 0
                for target in toQueue {
                    try context.checkCancellation()
                    let result = try context.session.execute(
                        Self.insert, [target.filename, target.path, force ? "true" : "false", batch]
                    )
                    added += result.affectedRows
                    progress.advance()
                }
                return added
            }
        }

        let queued = added == 1 ? "1 file" : "\(added) files"
        if context.session.transactionState.isOpen {
            context.console.printError("Queued \(queued) (batch \(batch)) inside your transaction: COMMIT to keep, ROLLBACK to undo.")
        } else {
            context.console.printError("Queued \(queued) (batch \(batch)).")
        }
    }

    /// Looks every file up first, so that a mistyped name stops the command before anything is
    /// written, with all the bad names at once.
    private func findTargets(_ context: CommandContext) throws -> [Target] {
        var targets: [Target] = []
        var unknown: [String] = []
        var pathless: [String] = []
        var seen: Set<String> = []
        // Rows arrive one at a time (single-row mode): memory stays flat for the thousands of files
        // --no-canonical can find on a large archive.
        func collect(_ row: Row) {
            guard let file = row["file"] else { return }
            guard let filename = row["filename"], let path = row["path"] else {
                pathless.append(file)
                return
            }
            // A file named twice (by its name and by its diskfile's filename) is queued once.
            guard seen.insert(file).inserted else { return }
            targets.append(Target(file: file, filename: filename, path: path, alreadyQueued: row["queued"] == "t"))
        }
        if noCanonical {
            try context.session.stream(Self.withoutCanonical) { row in collect(row) }
        } else {
            for name in names {
                try context.checkCancellation()
                var found = false
                try context.session.stream(Self.byName, [name]) { row in
                    found = true
                    collect(row)
                }
                if !found { unknown.append(name) }
            }
        }
        if !unknown.isEmpty {
            throw CommandError(
                "no archive file named " + unknown.map { "\"\($0)\"" }.joined(separator: ", "),
                hint: "\\filehistory NAME shows what the archive knows of a file; names look like N20240629S0004.fits"
            )
        }
        if !pathless.isEmpty {
            throw CommandError(
                "no diskfile records where " + pathless.joined(separator: ", ") + " is on disk, so the ingest cannot find it",
                hint: "queue it by hand with its path: INSERT INTO ingestqueue (filename, path, added) VALUES (...)"
            )
        }
        return targets
    }
}
