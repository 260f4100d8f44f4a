import BackupPlugin
import CurateKit
import Foundation

/// `\restore --engine pgbackrest --as-of TIME --table T [--where COND] --into-new DB`: a table
/// (or some of its rows) as it was at TIME, in a new database beside the live one.
///
/// Everything that can be refused is checked before anything is written: pgBackRest and the
/// stanza, the time (readable, not in the future, after the end of the oldest backup set),
/// the WAL archive (the target's WAL is archived, else curate makes the server archive its
/// current segment with `pgbackrest check`), the new database's name (must not exist) and the
/// disk (the backup set's size, plus `--keep-free`, must fit in the scratch folder's file
/// system). Then pgBackRest restores the set into a scratch cluster (`ScratchCluster`), which
/// replays WAL to the target and is promoted; the table's definition (without foreign keys
/// and triggers) and the chosen rows are copied into a database under a temporary name, which
/// is renamed to DB only at the end; the recovered rows are compared, by primary key, with
/// the live table's. The scratch cluster is removed on every way out; on failure the
/// temporary database is dropped, so no half-filled database ever has the requested name.
struct PointInTimeRecovery {
    let asOf: String
    let table: String
    let condition: String?
    let newDatabase: String
    let stanza: String?
    let scratchParent: String
    let keepFree: Int64

    func run(context: CommandContext) throws {
        let session = context.session
        let pgbackrest = try PgBackRest(stanza: stanza, context: context)
        let info = try pgbackrest.info(context: context)
        let (target, serverNow) = try RecoveryTarget.read(asOf, session: session)
        let backup = try target.backupSet(in: info, serverNow: serverNow)

        if try !session.execute("SELECT 1 FROM pg_database WHERE datname = $1", [newDatabase]).rows.isEmpty {
            throw CommandError("database \(newDatabase) already exists: --into-new makes a new database, it never writes into one",
                               hint: "name a database that does not exist yet")
        }
        try checkDisk(backup: backup)
        let psql = try ClientProgram(.psql, for: session)
        try ensureArchived(target: target, pgbackrest: pgbackrest, psql: psql, context: context)

        let version = info.db.last?.version ?? "\(session.info.serverVersion / 10000)"
        let pgCtl = try Self.serverProgram("pg_ctl", version: version)
        let pgDump = try ClientProgram(.pgDump, for: session)
        let pgRestore = try ClientProgram(.pgRestore, for: session)

        // Nothing written before this line but ensureArchived's empty commit and WAL switch on
        // the live server.
        // PostgreSQL refuses to run as root: with a command of the user's (PGBACKREST_COMMAND),
        // root still starts the scratch server as the cluster's owner.
        let owner = pgbackrest.runAs ?? (getuid() == 0 ? PgBackRest.clusterOwner(context: context) : nil)
        let scratch = try ScratchCluster(parent: scratchParent, owner: owner, pgCtl: pgCtl)
        defer { scratch.remove() }
        let work = try Self.privateFolder()
        defer { try? FileManager.default.removeItem(atPath: work) }

        context.console.printError("restore: pgBackRest \(backup.type) \(backup.label) into a scratch cluster, WAL replayed to \(target.text)")
        let restoreOptions = ["--set=\(backup.label)", "--type=time", "--target=\(target.text)", "--target-action=promote",
                              "--pg1-path=\(scratch.dataDirectory)", "--archive-mode=off",
                              "--tablespace-map-all=\(scratch.folder)/tablespaces"]
        let restored = try pgbackrest.run("restore", restoreOptions, context: context)
        if restored.cancelled { throw CommandCancelled() }
        guard restored.succeeded else {
            throw CommandError("pgbackrest restore failed:\n" + PgBackRest.errorLines(restored).joined(separator: "\n"),
                               hint: "nothing was written to the live server; the scratch folder is removed")
        }
        try scratch.start(context: context)

        // The scratch server as the cluster's bootstrap superuser (trust, behind its private socket).
        let superuser = try session.execute("SELECT rolname FROM pg_roles WHERE oid = 10").rows.first?[0] ?? "postgres"
        // Its own socket, without the session's TLS or session-type demands (it has neither).
        let scratchServer = ["PGHOST": scratch.socketDirectory, "PGPORT": scratch.port, "PGUSER": superuser,
                             "PGSSLMODE": "disable", "PGGSSENCMODE": "disable", "PGTARGETSESSIONATTRS": "any"]
        func onScratch(_ arguments: [String], stdin: ClientProgram.Input = .null, stdout: ClientProgram.Output = .capture,
                       database: String? = nil, program: ClientProgram? = nil) throws -> ClientProgram.Result {
            try (program ?? psql).run(arguments, in: context, database: database ?? session.info.database, stdin: stdin, stdout: stdout,
                                      environment: scratchServer)
        }
        try waitForPromotion(scratch: scratch, context: context) {
            try onScratch(["-X", "-A", "-t", "-q", "-c", "SELECT pg_is_in_recovery()"], database: "postgres")
        }

        // The table as it was.
        let tableQuery = try onScratch(["-X", "-A", "-t", "-q", "-F", "\u{1f}", "-v", "ON_ERROR_STOP=1", "-c", """
            SELECT format('%I.%I', n.nspname, c.relname), n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.oid = to_regclass(\(SQLQuoting.literal(table))) AND c.relkind IN ('r', 'p')
            """])
        let tableRow = tableQuery.stdoutText.split(separator: "\n").first.map { $0.split(separator: "\u{1f}", omittingEmptySubsequences: false).map(String.init) }
        guard tableQuery.succeeded, let tableRow, tableRow.count == 2 else {
            throw CommandError("table \(table) did not exist at \(target.text) in database \(session.info.database)"
                               + (tableQuery.succeeded ? "" : ": " + Self.firstError(tableQuery.stderrText)),
                               hint: "nothing was written to the live server")
        }
        let qualified = tableRow[0]
        let schema = tableRow[1]
        let selection = "SELECT * FROM \(qualified)" + (condition.map { " WHERE \($0)" } ?? "")

        let recoveredRows = work + "/recovered.copy"
        let copied = try onScratch(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", "COPY (\(selection)) TO STDOUT"], stdout: .file(recoveredRows))
        guard copied.succeeded else {
            throw CommandError("reading \(qualified) as of \(target.text) failed: \(Self.firstError(copied.stderrText))",
                               hint: "nothing was written to the live server")
        }
        let definition = work + "/table.dump"
        let dumped = try onScratch(["--schema-only", "--format=custom", "--no-owner", "--no-privileges", "--table=\(qualified)",
                                    "--file=\(definition)"], program: pgDump)
        guard dumped.succeeded else {
            throw CommandError("pg_dump of \(qualified)'s definition from the scratch cluster failed: \(Self.firstError(dumped.stderrText))")
        }

        // Into a database under a temporary name; renamed only when everything is in.
        let temporary = "curate_pitr_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        func onLive(_ arguments: [String], database: String, stdin: ClientProgram.Input = .null) throws -> ClientProgram.Result {
            try psql.run(["-X", "-q", "-v", "ON_ERROR_STOP=1"] + arguments, in: context, database: database, stdin: stdin)
        }
        let created = try onLive(["-c", "CREATE DATABASE \(SQLQuoting.identifier(temporary)) TEMPLATE template0"], database: session.info.database)
        guard created.succeeded else {
            throw CommandError("CREATE DATABASE failed: \(Self.firstError(created.stderrText))")
        }
        var renamed = false
        defer {
            if !renamed {
                // Not cancellable: after Ctrl-C the half-filled database must still go.
                _ = try? psql.run(["-X", "-q", "-c", "DROP DATABASE IF EXISTS \(SQLQuoting.identifier(temporary)) WITH (FORCE)"],
                                  session: session, database: session.info.database, cancelled: { false })
            }
        }
        if schema != "public" {
            let made = try onLive(["-c", "CREATE SCHEMA IF NOT EXISTS \(SQLQuoting.identifier(schema))"], database: temporary)
            guard made.succeeded else { throw CommandError("CREATE SCHEMA failed: \(Self.firstError(made.stderrText))") }
        }
        let listing = try pgRestore.run(["--list", definition], in: context)
        guard listing.succeeded else { throw CommandError("pg_restore --list failed: \(Self.firstError(listing.stderrText))") }
        // Foreign keys name tables that are not there; triggers call functions that are not there.
        let kept = listing.stdoutText.split(separator: "\n").filter { line in
            !line.contains(" FK CONSTRAINT ") && !line.contains(" TRIGGER ")
        }
        let listFile = work + "/restore.list"
        try BackupFiles.writePrivate(Data((kept.joined(separator: "\n") + "\n").utf8), to: listFile)
        for section in ["pre-data", "data", "post-data"] {
            if section == "data" {
                let loaded = try onLive(["-c", "COPY \(qualified) FROM STDIN"], database: temporary, stdin: .file(recoveredRows))
                guard loaded.succeeded else {
                    throw CommandError("loading the recovered rows failed: \(Self.firstError(loaded.stderrText))")
                }
                continue
            }
            let restoredSection = try pgRestore.run(["--section=\(section)", "--use-list=\(listFile)", "--no-owner", "--no-privileges",
                                                     "--exit-on-error", "--dbname=\(temporary)", definition], in: context, database: temporary)
            guard restoredSection.succeeded else {
                throw CommandError("restoring \(qualified)'s definition (\(section)) failed: \(Self.firstError(restoredSection.stderrText))")
            }
        }

        // The live rows, read in a read-only transaction, compared inside the scratch cluster.
        let liveExists = try !session.execute("SELECT 1 WHERE to_regclass($1) IS NOT NULL", [qualified]).rows.isEmpty
        var diff: RecoveredRowsDiff?
        var diffNote: String?
        if liveExists {
            let liveRows = work + "/live.copy"
            let read = try psql.run(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", "COPY (\(selection)) TO STDOUT"], in: context,
                                    stdout: .file(liveRows), environment: ["PGOPTIONS": "-c default_transaction_read_only=on"])
            if read.succeeded {
                do {
                    diff = try RecoveredRowsDiff.compute(table: qualified, condition: condition, liveRows: liveRows) { arguments, stdin in
                        try onScratch(arguments, stdin: stdin)
                    }
                } catch let error as CommandError {
                    diffNote = error.message
                }
            } else {
                diffNote = "reading the live rows failed: \(Self.firstError(read.stderrText))"
            }
        } else {
            diffNote = "the live database has no table \(qualified) now: every recovered row is only in the recovered copy"
        }

        let counted = try onLive(["-A", "-t", "-c", "SELECT count(*) FROM \(qualified)"], database: temporary)
        let recoveredCount = counted.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let renaming = try onLive(["-c", "ALTER DATABASE \(SQLQuoting.identifier(temporary)) RENAME TO \(SQLQuoting.identifier(newDatabase))"],
                                  database: session.info.database)
        guard renaming.succeeded else {
            throw CommandError("renaming the recovered database to \(newDatabase) failed: \(Self.firstError(renaming.stderrText))")
        }
        renamed = true

        context.console.print("recovered: \(recoveredCount) row\(recoveredCount == "1" ? "" : "s") of \(qualified) as of \(target.text)"
                              + (condition.map { " where \($0)" } ?? "") + " into new database \(newDatabase)")
        context.console.print("from pgBackRest \(backup.type) backup \(backup.label) of stanza \(pgbackrest.stanza), WAL replayed to the target")
        if let diff {
            diff.print(context: context)
        } else if let diffNote {
            context.console.print("no comparison with the live table: \(diffNote)")
        }
    }

    /// Recovery to a time stops only at a commit after that time, and that commit must be in
    /// the archive: without one PostgreSQL ends recovery "before configured recovery target
    /// was reached". `pg_stat_archiver` cannot tell (its times are when the archiver ran, which
    /// lags behind the WAL after a burst of writes), so curate always commits an empty
    /// transaction (an xid, no rows) on a connection of its own and runs `pgbackrest check`,
    /// which switches to a new WAL segment and waits until the old one is archived. Broken
    /// archiving stops the recovery here.
    private func ensureArchived(target: RecoveryTarget, pgbackrest: PgBackRest, psql: ClientProgram, context: CommandContext) throws {
        let archived = try context.session.execute("SELECT extract(epoch FROM last_archived_time)::float8 FROM pg_stat_archiver").rows.first
        let lastArchived = archived?[0].flatMap(Double.init)
        let marker = try psql.run(["-X", "-q", "-A", "-t", "-c", "SELECT txid_current()"], in: context)
        guard marker.succeeded else {
            throw CommandError("committing a transaction after --as-of failed: \(Self.firstError(marker.stderrText))",
                               hint: "recovery to a time needs a commit after it in the WAL")
        }
        let checked = try pgbackrest.run("check", [], context: context)
        if checked.cancelled { throw CommandCancelled() }
        guard checked.succeeded else {
            let when: String
            if let lastArchived, lastArchived >= target.epoch {
                when = "the WAL after --as-of \(target.text), where recovery stops, cannot be made sure to be in the archive, because"
            } else {
                when = "--as-of \(target.text) is after the last archived WAL"
                    + (lastArchived.map { " (archived up to \(RecoveryTarget.utc($0)))" } ?? " (nothing archived yet)") + " and"
            }
            throw CommandError(when + " WAL archiving does not work, so it cannot be replayed:\n"
                                   + PgBackRest.errorLines(checked).joined(separator: "\n"),
                               hint: "fix archive_command (\\backup check --engine pgbackrest tests it), then recover again; "
                                   + "a large backlog of WAL still to archive also makes the check time out (pgBackRest's archive-timeout)")
        }
    }

    /// The restored cluster needs about the backup set's size; `--keep-free` more stays free.
    private func checkDisk(backup: PgBackRestStanzaInfo.Backup) throws {
        guard let attributes = try? FileManager.default.attributesOfFileSystem(forPath: scratchParent),
              let free = (attributes[.systemFreeSize] as? NSNumber)?.int64Value else {
            throw CommandError("cannot read the free space of \(scratchParent) (the scratch folder's place)",
                               hint: "--scratch-dir names another folder")
        }
        let needed = backup.info.size + backup.info.size / 10 + keepFree
        guard free >= needed else {
            throw CommandError("not enough disk for the scratch cluster: backup set \(backup.label) restores to \(BackupFiles.humanSize(backup.info.size))"
                                   + (keepFree > 0 ? " and --keep-free asks \(BackupFiles.humanSize(keepFree)) to stay free" : "")
                                   + ", \(scratchParent) has \(BackupFiles.humanSize(free)) free (needed about \(BackupFiles.humanSize(needed)))",
                               hint: "--scratch-dir names a folder on a larger disk")
        }
    }

    /// Waits until the scratch server has reached the target and been promoted; a server that
    /// stops on the way (a target the WAL never reaches) is a failure with its log's words.
    private func waitForPromotion(scratch: ScratchCluster, context: CommandContext, ask: () throws -> ClientProgram.Result) throws {
        while true {
            try context.checkCancellation()
            let answer = try ask()
            if answer.succeeded && answer.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "f" { return }
            if !scratch.isRunning {
                throw CommandError("recovery to the target failed: the scratch server stopped:\n" + scratch.logTail(),
                                   hint: "nothing was written to the live server")
            }
            usleep(100_000)
        }
    }

    /// A server program of PostgreSQL `version` ("15"): `$CURATE_PGBIN`, else Debian's folder of that version.
    static func serverProgram(_ name: String, version: String) throws -> String {
        var candidates: [String] = []
        if let folder = ProcessInfo.processInfo.environment["CURATE_PGBIN"], !folder.isEmpty { candidates.append(folder + "/" + name) }
        candidates.append("/usr/lib/postgresql/\(version)/bin/\(name)")
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw CommandError("\(name) of PostgreSQL \(version) not found: the scratch cluster runs the backup's server version",
                               hint: "install postgresql-\(version), or set CURATE_PGBIN to the folder of its programs")
        }
        return found
    }

    /// The first error line of a client program's stderr (its whole text when none says error).
    static func firstError(_ text: String) -> String {
        let lines = text.split(separator: "\n").map(String.init)
        return lines.first { $0.contains("ERROR") || $0.contains("error") } ?? lines.first ?? "no message"
    }

    static func privateFolder() throws -> String {
        let base = NSTemporaryDirectory()
        var template = Array((base + "curate-pitr-work.XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CommandError("cannot create a private folder in \(base): \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }
}
