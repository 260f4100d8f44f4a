import CurateKit
import Foundation

extension BackupFormat: ExpressibleByArgument {}

/// `\backup`: a verified, checksummed pg_dump of the session's database; `\backup list`,
/// `\backup verify FILE`, `\backup prune`.
struct BackupCommand: CurateCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up the database with pg_dump (verified, checksummed); list, verify or prune backups.",
        discussion: """
            \\backup [OPTIONS]            take a backup (custom format unless --format)
            \\backup list                 every backup in the folder, newest first, with the rule that keeps it
            \\backup verify FILE          read FILE to the end again and compare its SHA-256
            \\backup prune [--dry-run]    grandfather-father-son retention (asks first; --yes in scripts)
            The folder is --dir, else \\set BACKUP_DIR, else $CURATE_BACKUP_DIR, else ~/.local/share/curate/backups.
            """)

    static var capabilities: CommandCapabilities { [.startsPrograms] }

    @Argument(help: "list | verify FILE | prune (nothing: take a backup)")
    var action: [String] = []

    @Option(help: "custom, plain (gzip -7) or directory")
    var format: BackupFormat = .custom

    @Option(help: "parallel dump jobs (directory format only)")
    var jobs: Int?

    @Option(name: .customLong("exclude-table"), help: "leave out tables matching PATTERN (pg_dump's pattern); repeatable")
    var excludeTable: [String] = []

    @Flag(name: .customLong("data-only"), help: "data only, no schema")
    var dataOnly = false

    @Option(help: "the backup folder")
    var dir: String?

    @Flag(help: "also save roles and tablespaces (pg_dumpall --globals-only) beside the backup")
    var globals = false

    @Flag(name: .customLong("role-passwords"), help: "with --globals: include role passwords")
    var rolePasswords = false

    @Flag(help: "dump exactly what the session sees: export its snapshot (session must be idle)")
    var snapshot = false

    @Flag(name: .customLong("dry-run"), help: "prune: only list what would be deleted")
    var dryRun = false

    @Option(name: .customLong("keep-daily"), help: "prune: keep every backup of the last N days (default 10)")
    var keepDaily: Int = 10

    @Option(name: .customLong("keep-weekly"), help: "prune: keep the newest of each of the last N ISO weeks (default 13)")
    var keepWeekly: Int = 13

    @Option(name: .customLong("keep-monthly"), help: "prune: keep the newest of each of the last N months (default: all)")
    var keepMonthly: Int?

    @Flag(help: "prune: delete without asking (needed in scripts)")
    var yes = false

    var policy: RetentionPolicy { RetentionPolicy(keepDaily: keepDaily, keepWeekly: keepWeekly, keepMonthly: keepMonthly) }

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if keepDaily < 0 || keepWeekly < 0 || (keepMonthly ?? 0) < 0 { throw ValidationError("--keep-* must not be negative") }
        if let first = action.first, !["list", "verify", "prune"].contains(first) {
            throw ValidationError("unknown action \(first): use list, verify FILE or prune")
        }
        if action.first == "verify", action.count != 2 { throw ValidationError("usage: \\backup verify FILE") }
        if action.first != "verify", action.count > 1 { throw ValidationError("unexpected argument \(action[1])") }
    }

    func run(context: CommandContext) throws {
        let directory = BackupFiles.directory(option: dir, context: context)
        switch action.first {
        case "list": try BackupFolder(path: directory).list(policy: policy, context: context)
        case "verify": try verify(action[1], directory: directory, context: context)
        case "prune": try BackupFolder(path: directory).prune(policy: policy, dryRun: dryRun, yes: yes, context: context)
        default: try BackupRun(options: self, directory: directory).run(context: context)
        }
    }

    private func verify(_ file: String, directory: String, context: CommandContext) throws {
        let path = BackupFiles.resolve(file, directory: directory)
        guard FileManager.default.fileExists(atPath: path) else { throw CommandError("\(path): no such backup") }
        let fileName = (path as NSString).lastPathComponent
        guard let name = BackupName.parse(fileName), name.kind == .backup else {
            throw CommandError("\(fileName) is not a backup name (DBNAME.TIMESTAMP.pg_dump_c, .pg_dump_p.gz or .pg_dump_d)")
        }
        let manifestPath = path + ".manifest"
        var manifest = BackupManifest.read(path: manifestPath)
        let verification = try BackupVerification.run(path: path, format: name.format, context: context)
        let digest = try BackupFiles.sha256(path)
        var problems: [String] = []
        if !verification.ok { problems.append(verification.failure ?? "verification failed") }
        if let manifest, manifest.sha256 != digest {
            problems.append("SHA-256 differs from the manifest's (\(manifest.sha256.prefix(16))… recorded, \(digest.prefix(16))… now): the file changed since it was made")
        }
        if var updated = manifest {
            updated.state = problems.isEmpty ? .verified : .failed
            updated.failure = problems.isEmpty ? nil : problems.joined(separator: "; ")
            updated.verifiedAt = BackupFiles.nowText()
            try updated.write(path: manifestPath)
            manifest = updated
        }
        guard problems.isEmpty else {
            throw CommandError("\(fileName) FAILED verification: " + problems.joined(separator: "; "),
                               hint: manifest == nil ? nil : "the manifest now records the failure: prune deletes nothing while this is the newest backup")
        }
        var line = "\(fileName): OK (read to the end"
        if let entries = verification.tocEntries { line += ", \(entries) entries" }
        line += manifest == nil ? "; no manifest, so no recorded SHA-256 to compare: \(digest))" : ", SHA-256 matches the manifest)"
        context.console.print(line)
    }
}

/// One backup being taken.
struct BackupRun {
    let options: BackupCommand
    let directory: String

    func run(context: CommandContext) throws {
        let session = context.session
        let format = options.format
        if options.jobs != nil && format != .directory {
            throw CommandError("--jobs needs --format directory", hint: "pg_dump can dump in parallel only into a folder")
        }
        let pgDump = try ClientProgram(.pgDump)
        let version = try pgDump.version()
        let serverMajor = session.info.serverVersion / 10000
        if version.major < serverMajor {
            context.console.printError("WARNING: \(version.text) is older than the server (PostgreSQL \(session.info.serverVersionString)); pg_dump must be at least the server's version: install postgresql-client-\(serverMajor)")
        }
        try BackupFiles.ensureDirectory(directory)

        if options.snapshot && session.transactionState != .idle {
            throw CommandError("--snapshot needs an idle session", hint: "COMMIT or ROLLBACK first; a dump never contains uncommitted changes")
        }
        // What the dump will not show, and what a restore will not bring back.
        if session.transactionState.isOpen {
            context.console.printError("NOTE: the session has an open transaction: pg_dump uses its own connection, so the session's uncommitted changes will not be in this backup")
        }
        let findings = Findings.collect(session: session)
        for finding in findings { context.console.printError("NOTE: \(finding)") }

        let now = BackupTimestamp.now()
        let database = session.info.database
        let safeDatabase = database.replacingOccurrences(of: "/", with: "_")
        let name = BackupName(database: safeDatabase, timestamp: now, format: format)
        var partialName = name
        partialName.kind = .partial
        let finalPath = directory + "/" + name.fileName
        let partialPath = directory + "/" + partialName.fileName

        var arguments = ["--format=\(format.pgDumpLetter)", "--file=\(partialPath)", "--verbose"]
        if format == .plain { arguments.append("--compress=7") }
        if let jobs = options.jobs { arguments.append("--jobs=\(jobs)") }
        for pattern in options.excludeTable { arguments.append("--exclude-table=\(pattern)") }
        if options.dataOnly { arguments.append("--data-only") }

        var snapshotOpen = false
        if options.snapshot {
            _ = try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshotOpen = true
            let id = try session.execute("SELECT pg_export_snapshot()").rows.first?[0] ?? ""
            arguments.append("--snapshot=\(id)")
        }
        defer { if snapshotOpen { _ = try? session.execute("ROLLBACK") } }

        let tableCount = (try? session.execute("""
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
            """).rows.first?[0]).flatMap { $0.flatMap(Int.init) }
        let progress = context.progress("backup \(name.fileName)", total: tableCount)
        var tablesDone = 0
        var messages: [String] = []
        let result = try pgDump.run(
            arguments, in: context, stdout: .discard,
            stderr: .lines { line in
                if line.contains("dumping contents of table") {
                    tablesDone += 1
                    progress.update(done: tablesDone)
                } else if ["error", "warning", "detail", "hint", "FATAL", "ERROR"].contains(where: { line.contains($0) }) {
                    messages.append(line)
                }
            })
        progress.finish()
        if snapshotOpen {
            _ = try? session.execute("ROLLBACK")
            snapshotOpen = false
        }
        for message in messages where !message.contains("error") { context.console.printError(message) }

        guard result.succeeded else {
            let reason = result.cancelled ? "cancelled" : result.signal.map { "pg_dump was killed by signal \($0)" }
                ?? "pg_dump exited with status \(result.status)"
            try fail(name: name, partialPath: partialPath, reason: reason, details: messages.filter { $0.contains("error") })
        }

        // Verify before the backup gets its real name.
        let verification = try BackupVerification.run(path: partialPath, format: format, context: context)
        guard verification.ok else {
            try fail(name: name, partialPath: partialPath, reason: verification.failure ?? "verification failed", details: [])
        }
        let digest = try BackupFiles.sha256(partialPath)
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
            verifiedAt: BackupFiles.nowText(), failure: nil, sizeBytes: size, sha256: digest,
            tocEntries: verification.tocEntries, tableDataEntries: verification.tableDataEntries,
            pgDumpVersion: version.text, serverVersion: session.info.serverVersionString, durationSeconds: result.duration,
            excludedTables: options.excludeTable, dataOnly: options.dataOnly, findings: findings, globalsFile: globalsFile)
        try manifest.write(path: directory + "/" + name.manifestFileName)
        guard rename(partialPath, finalPath) == 0 else {
            throw FileError(path: finalPath, operation: "rename the verified backup to")
        }
        var summary = "backup: \(finalPath) (\(BackupFiles.humanSize(size)), \(format.rawValue), "
        if let tables = verification.tableDataEntries { summary += "\(tables) tables, " }
        summary += String(format: "%.1f s", result.duration) + ") verified, sha256 \(digest.prefix(16))…"
        context.console.print(summary)
        if let globalsFile { context.console.print("roles and tablespaces: \(directory)/\(globalsFile)") }
    }

    /// A failed backup leaves no data, only `NAME.failed` saying why (so prune deletes nothing after it).
    private func fail(name: BackupName, partialPath: String, reason: String, details: [String]) throws -> Never {
        try? BackupFiles.remove(partialPath)
        var failed = name
        failed.kind = .failed
        let text = "backup \(name.fileName) failed at \(BackupFiles.nowText()): \(reason)\n" + details.map { $0 + "\n" }.joined()
        try? BackupFiles.writePrivate(Data(text.utf8), to: directory + "/" + failed.fileName)
        throw CommandError("backup failed: \(reason)" + (details.isEmpty ? "" : "\n" + details.joined(separator: "\n")),
                           hint: "nothing that looks like a backup was left; \(failed.fileName) records the failure")
    }

    private func dumpGlobals(name: BackupName, context: CommandContext) throws -> String {
        let program = try ClientProgram(.pgDumpall)
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

/// What changes what a restore brings back, recorded before dumping.
enum Findings {
    static func collect(session: Session) -> [String] {
        guard session.transactionState != .failed else { return [] }
        var findings: [String] = []
        let queries: [(String, (Row) -> String)] = [
            ("""
             SELECT format('%I.%I', n.nspname, c.relname) AS index FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT i.indisvalid ORDER BY 1
             """, { "invalid index \($0[0] ?? "?"): pg_dump leaves it out, a restore will not have it" }),
            ("""
             SELECT format('%s on %s', c.conname, c.conrelid::regclass) FROM pg_constraint c
             JOIN pg_namespace n ON n.oid = c.connamespace
             WHERE NOT c.convalidated AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1
             """, { "NOT VALID constraint \($0[0] ?? "?"): restored as NOT VALID, existing rows unchecked" }),
        ]
        do {
            try session.transaction {
                for (sql, describe) in queries {
                    for row in try session.execute(sql).rows { findings.append(describe(row)) }
                }
                // Foreign-key orphans: the restore fails to recreate such a key.
                let keys = try session.execute("""
                    SELECT c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text,
                      (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n),
                      (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                         JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n)
                    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                    WHERE c.contype = 'f' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                    """).rows
                for key in keys {
                    guard let name = key[0], let child = key[1], let parent = key[2], let columns = key[3], let parentColumns = key[4] else { continue }
                    let sql = "SELECT count(*) FROM \(child) c WHERE (\(columns.split(separator: ",").map { "c." + $0.trimmingCharacters(in: .whitespaces) + " IS NOT NULL" }.joined(separator: " AND "))) AND NOT EXISTS (SELECT 1 FROM \(parent) p WHERE (\(parentColumns.split(separator: ",").map { "p." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))) = (\(columns.split(separator: ",").map { "c." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))))"
                    let count = Int(try session.execute(sql).rows.first?[0] ?? "0") ?? 0
                    if count > 0 {
                        findings.append("foreign key \(name) on \(child): \(count) orphan row\(count == 1 ? "" : "s") without a parent in \(parent); a restore will fail to recreate this key")
                    }
                }
            }
        } catch {
            findings.append("could not check for invalid indexes, NOT VALID constraints and foreign-key orphans: \(error)")
        }
        return findings
    }
}
