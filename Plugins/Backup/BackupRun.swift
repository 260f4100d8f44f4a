import CurateKit
import Foundation

/// One backup being taken: pg_dump into `.NAME.partial`, the findings and the progress while it
/// runs (a custom archive is also read and verified as it is written), then the end of the
/// verification with the checksum, the manifest, and the rename to NAME.
struct BackupRun {
    let options: BackupCommand
    let directory: String

    func run(context: CommandContext) throws {
        let session = context.session
        let format = options.format
        if options.jobs != nil && format != .directory {
            throw CommandError("--jobs needs --format directory", hint: "pg_dump can dump in parallel only into a folder")
        }
        // pg_dump of the server's major version (or newer), or a message saying what to install.
        let pgDump = try ClientProgram(.pgDump, for: session)
        let version = try pgDump.version()
        try BackupFiles.ensureDirectory(directory)

        if options.snapshot && session.transactionState != .idle {
            throw CommandError("--snapshot needs an idle session", hint: "COMMIT or ROLLBACK first; a dump never contains uncommitted changes")
        }
        if session.transactionState.isOpen {
            context.console.printError("NOTE: the session has an open transaction: pg_dump uses its own connection, so the session's uncommitted changes will not be in this backup")
        }

        let now = BackupTimestamp.now()
        let database = session.info.database
        let name = BackupName(database: database.replacingOccurrences(of: "/", with: "_"), timestamp: now, format: format)
        var partialName = name
        partialName.kind = .partial
        let finalPath = directory + "/" + name.fileName
        let partialPath = directory + "/" + partialName.fileName

        var arguments = ["--format=\(format.pgDumpLetter)", "--file=\(partialPath)", "--verbose"]
        if format == .plain { arguments.append("--compress=7") }
        if let jobs = options.jobs { arguments.append("--jobs=\(jobs)") }
        for pattern in options.excludeTable { arguments.append("--exclude-table=\(pattern)") }
        for pattern in options.excludeTableData { arguments.append("--exclude-table-data=\(pattern)") }
        if options.dataOnly { arguments.append("--data-only") }

        var snapshotOpen = false
        if options.snapshot {
            _ = try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshotOpen = true
            let id = try session.execute("SELECT pg_export_snapshot()").rows.first?[0] ?? ""
            arguments.append("--snapshot=\(id)")
        }
        defer { if snapshotOpen { _ = try? session.execute("ROLLBACK") } }

        // A custom archive is synced to disk by curate, beside the proof (`DumpFileSync`).
        let fileSync = format == .custom && version.major >= 10 ? try DumpFileSync(creating: partialPath) : nil
        if fileSync != nil { arguments.append("--no-sync") }

        // A custom archive is verified while pg_dump writes it. Should the folder not be
        // watchable (inotify's limits), it is read by the same reader after pg_dump instead.
        let follower = format == .custom ? try? CustomArchiveFollower(path: partialPath) : nil
        defer { follower?.abandon() }
        let progress = DumpProgress(context: context, label: "backup \(database)", path: partialPath)
        var messages: [String] = []
        // pg_dump dumps on a connection of its own, so the session's work runs meanwhile, in
        // pg_dump's first tick: the catalogue query (the progress total, the sizes that share
        // the verification read) and the findings (with --snapshot, inside the exported
        // snapshot's transaction). It costs no time of its own unless pg_dump ends first.
        var tables: DatabaseTables?
        var findings: [String]?
        func collect() {
            tables = DatabaseTables.read(session: session)
            findings = Findings.collect(session: session, isCancelled: { context.isCancelled })
        }
        let result: ClientProgram.Result
        do {
            result = try pgDump.run(
                arguments, in: context, stdout: .discard,
                stderr: .lines { line in
                    if !progress.take(line), ["error", "warning", "detail", "hint", "FATAL", "ERROR"].contains(where: { line.contains($0) }) {
                        messages.append(line)
                    }
                },
                tick: {
                    progress.tick()
                    if findings == nil {
                        collect()
                        // Which tables an --exclude-table(-data) pattern leaves out is pg_dump's to
                        // decide: with one, the line counts tables without claiming a total.
                        let excluding = !options.excludeTable.isEmpty || !options.excludeTableData.isEmpty
                        progress.setTotal(excluding ? nil : tables?.withRows)
                    }
                })
        } catch {
            // pg_dump could not be started: the file created for it goes too.
            if fileSync != nil { try? BackupFiles.remove(partialPath) }
            throw error
        }
        progress.finish()
        if findings == nil && result.succeeded { collect() }
        for finding in findings ?? [] { context.console.printError("NOTE: \(finding)") }
        if snapshotOpen {
            snapshotOpen = false
            do {
                try session.execute("ROLLBACK")
            } catch {
                context.console.printError("curate: warning: ending the snapshot's transaction failed: \(error); ROLLBACK it yourself")
            }
        }
        for message in messages where !message.contains("error") { context.console.printError(message) }

        guard result.succeeded else {
            follower?.abandon()
            let reason = result.cancelled ? "cancelled" : result.signal.map { "pg_dump was killed by signal \($0)" }
                ?? "pg_dump exited with status \(result.status)"
            try fail(name: name, partialPath: partialPath, reason: reason, details: messages.filter { $0.contains("error") })
        }

        fileSync?.start()

        // Verify before the backup gets its real name. A verification that cannot be done (the
        // file gone, Ctrl-C) fails the backup like one that finds damage.
        let verification: BackupVerification
        do {
            if let follower {
                verification = try Self.finishFollowing(follower, context: context)
            } else {
                verification = try BackupVerification.run(path: partialPath, format: format, tables: tables, context: context)
            }
        } catch is CommandCancelled {
            verification = .failed("cancelled")
        } catch {
            verification = .failed("\(error)")
        }
        guard verification.ok else {
            let reason = context.isCancelled ? "cancelled" : verification.failure ?? "verification failed"
            try fail(name: name, partialPath: partialPath, reason: reason, details: [])
        }
        do { try fileSync?.wait() } catch {
            try fail(name: name, partialPath: partialPath, reason: "\(error)", details: [])
        }
        let size = BackupFiles.size(partialPath)

        var globalsFile: String?
        if options.globals {
            // Without its roles the backup is not what was asked for: it fails as a whole, and
            // leaves no partial file behind (which would stop prune).
            do { globalsFile = try dumpGlobals(name: name, context: context) } catch {
                try fail(name: name, partialPath: partialPath, reason: (error as? CommandError)?.message ?? "\(error)", details: [])
            }
        }

        let manifest = BackupManifest(
            file: name.fileName, database: database, format: format, created: now.description, state: .verified,
            verifiedAt: BackupFiles.nowText(), failure: nil, sizeBytes: size, sha256: verification.sha256,
            tocEntries: verification.tocEntries, tableDataEntries: verification.tableDataEntries,
            pgDumpVersion: version.text, serverVersion: session.info.serverVersionString, durationSeconds: result.duration,
            excludedTables: options.excludeTable, excludedTableData: options.excludeTableData, dataOnly: options.dataOnly, findings: findings ?? [], globalsFile: globalsFile)
        try manifest.write(path: directory + "/" + name.manifestFileName)
        guard rename(partialPath, finalPath) == 0 else {
            throw FileError(path: finalPath, operation: "rename the verified backup to")
        }
        do { try BackupFiles.syncFolder(directory) } catch {
            context.console.printError("curate: warning: \(error): the backup's name and manifest may not survive a power loss")
        }
        var summary = "backup: \(finalPath) (\(BackupFiles.humanSize(size)), \(format.rawValue), "
        if let tables = verification.tableDataEntries { summary += "\(tables) tables, " }
        summary += String(format: "%.1f s", result.duration) + ") verified, sha256 \(verification.sha256.prefix(16))…"
        context.console.print(summary)
        // Which pg_dump made it: the server's version, or the newest newer one found.
        context.console.print("backup: written by pg_dump \(version.number)")
        if let globalsFile { context.console.print("roles and tablespaces: \(directory)/\(globalsFile)") }
    }

    /// The end of the read that followed pg_dump's writing, and the proof that the finished file
    /// is what was read.
    private static func finishFollowing(_ follower: CustomArchiveFollower, context: CommandContext) throws -> BackupVerification {
        do {
            let (digest, record) = try follower.finish { context.isCancelled }
            return BackupVerification(ok: true, failure: nil, tocEntries: record.toc.entries.count,
                                      tableDataEntries: record.tableDataEntries, sha256: digest)
        } catch let error as CustomArchiveError {
            return .failed("reading the archive failed: \(error.description)")
        }
    }

    /// A failed backup leaves no data, only `NAME.failed` saying why (so prune deletes nothing after it).
    private func fail(name: BackupName, partialPath: String, reason: String, details: [String]) throws -> Never {
        try? BackupFiles.remove(partialPath)
        var failed = name
        failed.kind = .failed
        let text = "backup \(name.fileName) failed at \(BackupFiles.nowText()): \(reason)\n" + details.map { $0 + "\n" }.joined()
        let notePath = directory + "/" + failed.fileName
        var recorded = "\(failed.fileName) records the failure"
        do {
            try BackupFiles.writePrivate(Data(text.utf8), to: notePath)
        } catch {
            // A full disk may still take an empty file: prune needs only the name.
            recorded = BackupFiles.createEmptyPrivate(notePath)
                ? "\(failed.fileName) marks the failure (empty: no room was left to say why)"
                : "the failure could not be recorded (\(error)), so \\backup prune will not know of it"
        }
        throw CommandError("backup failed: \(reason)" + (details.isEmpty ? "" : "\n" + details.joined(separator: "\n")),
                           hint: "nothing that looks like a backup was left; \(recorded)")
    }

    private func dumpGlobals(name: BackupName, context: CommandContext) throws -> String {
        let program = try ClientProgram(.pgDumpall, for: context.session)
        let target = directory + "/" + name.globalsFileName
        var arguments = ["--globals-only", "--file=\(target).partial"]
        if !options.rolePasswords { arguments.append("--no-role-passwords") }
        let result = try program.run(arguments, in: context, stdout: .discard, stderr: .capture)
        guard result.succeeded, rename(target + ".partial", target) == 0 else {
            unlink(target + ".partial")
            throw CommandError("pg_dumpall --globals-only failed: \(BackupVerification.firstError(result.stderrText)) (reading roles needs a superuser or pg_read_all_settings; the database backup itself was not kept)")
        }
        return name.globalsFileName
    }
}
