import ArgumentParser
import BackupPlugin
import CurateKit
import Foundation

/// `\restore FILE`: into a new database by default, whole or a subset, with row counts afterwards.
struct RestoreCommand: CurateCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into a new database (default), or with --clean over an existing one.",
        discussion: """
            The default target is a new database DBNAME_restored_TIMESTAMP. --table/--schema restore a
            subset, each table whole (keys, defaults, sequences, indexes, triggers). Restoring over an
            existing database needs --clean and a confirmation (--yes in scripts).
            --engine pgbackrest --as-of TIME --table T [--where COND] --into-new DB recovers a table (or some of
            its rows) as it was at TIME from pgBackRest into a new database DB, with a diff against the live table.
            """)

    static var capabilities: CommandCapabilities { [.startsPrograms, .writesDatabase] }

    /// Tab offers the backups in the backup folder (newest first), and paths once a `/` is typed.
    static func completions(for request: CompletionRequest) -> [String] {
        guard request.previousWords.isEmpty, !request.word.contains("/") else { return [] }
        let folder = BackupFiles.directory(option: nil, variables: request.variables)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { name in
            name.hasSuffix(".pg_dump_c") || name.hasSuffix(".pg_dump_p.gz") || name.hasSuffix(".pg_dump_d")
        }.sorted(by: >)
    }

    @Argument(help: "the backup: a path, or a name in the backup folder (--engine pgbackrest: the new database after --into-new)")
    var file: String?

    @Option(help: "pg_dump (a backup file) or pgbackrest (point-in-time recovery; default: \\set BACKUP_ENGINE, else pg_dump)")
    var engine: BackupEngine?

    @Option(name: .customLong("as-of"), help: "pgbackrest: the time to recover to (any form PostgreSQL reads)")
    var asOf: String?

    @Option(name: .customLong("where"), help: "pgbackrest: recover only the rows matching this SQL condition")
    var condition: String?

    @Option(help: "pgbackrest: the stanza (default: \\set PGBACKREST_STANZA, $PGBACKREST_STANZA, the repository's only one)")
    var stanza: String?

    @Option(name: .customLong("scratch-dir"), help: "pgbackrest: where the scratch cluster goes (default: the temporary folder)")
    var scratchDir: String?

    @Option(name: .customLong("keep-free"), help: "pgbackrest: megabytes that must stay free beside the scratch cluster (default 256)")
    var keepFree: Int64?

    @Option(help: "restore into this database (created when it does not exist)")
    var into: String?

    @Flag(name: .customLong("into-new"), help: "restore into a new database DBNAME_restored_TIMESTAMP (the default)")
    var intoNew = false

    @Option(name: .customLong("table"), help: "restore only this table (NAME or SCHEMA.NAME), whole; repeatable")
    var tables: [String] = []

    @Option(name: .customLong("schema"), help: "restore only the tables of this schema; repeatable")
    var schemas: [String] = []

    @Option(help: "parallel restore jobs (default: the number of cores)")
    var jobs: Int?

    @Flag(help: "drop and recreate what the backup contains in an existing database (asks first)")
    var clean = false

    @Flag(help: "show what the backup contains")
    var list = false

    @Flag(help: "confirm without asking (needed in scripts)")
    var yes = false

    @Option(help: "the backup folder for a bare name")
    var dir: String?

    func validate() throws {
        if into != nil && intoNew { throw ValidationError("--into and --into-new exclude each other") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run(context: CommandContext) throws {
        if try BackupEngine.resolve(option: engine, variables: context.variables) == .pgbackrest {
            return try recoverPointInTime(context: context)
        }
        if asOf != nil || condition != nil || stanza != nil || scratchDir != nil || keepFree != nil {
            throw CommandError("--as-of, --where, --stanza, --scratch-dir and --keep-free go with --engine pgbackrest")
        }
        guard let file else { throw CommandError("\\restore needs a backup: \\restore FILE") }
        let path = BackupFiles.resolve(file, directory: BackupFiles.directory(option: dir, context: context))
        guard FileManager.default.fileExists(atPath: path) else { throw CommandError("\(path): no such backup") }
        let fileName = (path as NSString).lastPathComponent
        let parsed = BackupName.parse(fileName)
        let format: BackupFormat = parsed?.format
            ?? (BackupFiles.isDirectory(path) ? .directory : (fileName.hasSuffix(".gz") ? .plain : .custom))
        let manifest: BackupManifest?
        do {
            manifest = try BackupManifest.read(path: path + ".manifest")
        } catch {
            throw CommandError("\(fileName): \(error); whether the backup passed its verification is not known",
                               hint: "remove or repair the manifest, then \\backup verify \(fileName) checks the backup again")
        }
        if let manifest, manifest.state == .failed {
            throw CommandError("\(fileName) failed verification: \(manifest.failure ?? "see its manifest")",
                               hint: "\\backup verify \(fileName) checks it again; restore another backup")
        }
        // pg_restore of the server's major version (or newer), or a message saying what to install.
        let pgRestore = format == .plain ? nil : try ClientProgram(.pgRestore, for: context.session)
        if list { return try showList(path: path, pgRestore: pgRestore, context: context) }
        // Before anything starts: a restore of this backup brings back less than the database had.
        if let note = manifest?.exclusionNote { context.console.printError("NOTE: \(note)") }

        let session = context.session
        let sourceName = parsed?.database ?? session.info.database
        let target = into ?? Self.newName(for: sourceName)
        let exists = try session.execute("SELECT 1 FROM pg_database WHERE datname = $1", [target]).rows.count == 1
        let subset = !tables.isEmpty || !schemas.isEmpty
        if format == .plain && subset {
            throw CommandError("--table and --schema need a custom or directory backup", hint: "a plain SQL dump can only be restored whole")
        }
        if target == session.info.database && session.transactionState.isOpen {
            throw CommandError(
                "refused: the session has an open transaction in \(target), the database to restore into",
                hint: "its locks would block the restore: COMMIT or ROLLBACK first, or restore into another database (--into NAME)")
        }

        // What will be restored, and what in the target it replaces.
        var listFile: String?
        var restoredTables: [String] = []
        var dataEntries = 0
        var privateFolder: String?
        defer { if let privateFolder { try? FileManager.default.removeItem(atPath: privateFolder) } }
        if let restore = pgRestore {
            let listing = try restore.run(["--list", path], in: context)
            guard listing.succeeded else { throw CommandError("pg_restore --list \(fileName) failed: \(listing.stderrText)") }
            var entries = TOCEntry.parse(listing.stdoutText)
            if subset {
                let schemaSQL = try restore.run(["--schema-only", "--file=-", path], in: context)
                guard schemaSQL.succeeded else { throw CommandError("pg_restore --schema-only failed: \(schemaSQL.stderrText)") }
                let builder = RestoreList(listing: listing.stdoutText, schemaSQL: schemaSQL.stdoutText)
                let chosen: Set<RestoreList.Table>
                do { chosen = try builder.select(tables: tables, schemas: schemas) } catch { throw CommandError("\(error)") }
                entries = builder.entries(for: chosen, newDatabase: !exists)
                // Said before it starts: what of the tables comes back, and what cannot.
                let kinds: [(type: String, one: String, many: String)] = [
                    ("INDEX", "index", "indexes"), ("CONSTRAINT", "constraint", "constraints"), ("FK CONSTRAINT", "foreign key", "foreign keys"),
                    ("TRIGGER", "trigger", "triggers"), ("SEQUENCE", "sequence", "sequences"), ("DEFAULT", "column default", "column defaults"),
                    ("POLICY", "policy", "policies"), ("RULE", "rule", "rules"),
                ]
                let kept = kinds.compactMap { kind -> String? in
                    let count = entries.filter { $0.type == kind.type }.count
                    return count == 0 ? nil : "\(count) \(count == 1 ? kind.one : kind.many)"
                }
                context.console.printError("restore: \(chosen.count) table\(chosen.count == 1 ? "" : "s") from \(fileName) with their rows"
                                               + (kept.isEmpty ? "" : " and " + kept.joined(separator: ", ")))
                for foreignKey in builder.leftOutForeignKeys(for: chosen) {
                    context.console.printError("NOTE: foreign key \(foreignKey.constraint) of \(RestoreList.qualified(foreignKey.table)) is not restored: "
                                                   + "the table it references, \(foreignKey.referenced), is not in this restore")
                }
                let folder = NSTemporaryDirectory() + "curate-restore-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                privateFolder = folder
                listFile = folder + "/restore.list"
                try BackupFiles.writePrivate(Data((entries.map(\.line).joined(separator: "\n") + "\n").utf8), to: listFile!)
            }
            restoredTables = entries.filter { $0.type == "TABLE" }.map { "\($0.schema).\($0.tag)" }
            dataEntries = entries.filter { $0.type == "TABLE DATA" }.count
        }

        if exists {
            let present = try existingTables(in: target, context: context)
            let overlap = format == .plain ? present.sorted() : restoredTables.filter { present.contains($0) }
            if !clean {
                if !overlap.isEmpty || !subset {
                    throw CommandError(
                        "database \(target) exists" + (overlap.isEmpty ? "" : " and has \(overlap.count) of the tables in the backup"),
                        hint: "restore into a new database (the default, or --into NEWNAME), or pass --clean to replace them (asks first)")
                }
            } else {
                if format == .plain {
                    throw CommandError("a plain SQL dump cannot replace what exists in \(target)", hint: "restore it into a new database")
                }
                let shown = overlap.prefix(20).joined(separator: ", ") + (overlap.count > 20 ? ", ..." : "")
                let question = "Replace in database \(target) \(overlap.count) existing table\(overlap.count == 1 ? "" : "s") (\(shown)) and the other objects of \(fileName)? Their current contents will be lost."
                guard try context.confirm(question, assumeYes: yes) else {
                    context.console.print("restore: nothing changed")
                    return
                }
            }
        } else {
            try createDatabase(target, context: context)
        }

        let outcome: RestoreOutcome
        if let pgRestore {
            outcome = try restoreArchive(path: path, program: pgRestore, into: target, listFile: listFile, clean: clean && exists,
                                         tableCount: dataEntries, context: context)
        } else {
            outcome = try restorePlain(path: path, into: target, context: context)
        }
        try report(outcome, fileName: fileName, target: target, tables: format == .plain ? nil : Set(restoredTables),
                   program: pgRestore, context: context)
    }

    static func newName(for database: String) -> String {
        let now = BackupTimestamp.now()
        let stamp = now.description.prefix(19).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            .replacingOccurrences(of: "T", with: "_")
        return String(database.prefix(63 - 10 - stamp.count)) + "_restored_" + stamp
    }

    // MARK: Steps

    private func showList(path: String, pgRestore: ClientProgram?, context: CommandContext) throws {
        guard let pgRestore else {
            let console = context.console
            try PlainDump.forEachLine(path, cancelled: { context.isCancelled }) { line in
                if line.hasPrefix("-- Name: ") || line.hasPrefix("-- Data for Name: ") {
                    console.print(String(line.dropFirst(3)))
                }
            }
            return
        }
        let result = try pgRestore.run(["--list", path], in: context)
        guard result.succeeded else { throw CommandError("pg_restore --list failed: \(result.stderrText)") }
        context.console.print(result.stdoutText, newline: false)
    }

    private func existingTables(in database: String, context: CommandContext) throws -> Set<String> {
        let sql = """
            SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
            """
        let result = try ClientProgram(.psql).run(["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], in: context, database: database)
        guard result.succeeded else { throw CommandError("cannot list the tables of \(database): \(result.stderrText)") }
        return Set(result.stdoutText.split(separator: "\n").map(String.init))
    }

    private func createDatabase(_ name: String, context: CommandContext) throws {
        // Through psql on its own connection: CREATE DATABASE cannot run inside the session's transaction.
        let sql = "CREATE DATABASE \(context.session.quoteIdentifier(name)) TEMPLATE template0"
        let result = try ClientProgram(.psql).run(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], in: context)
        guard result.succeeded else {
            throw CommandError("cannot create database \(name): \(result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        context.console.printError("restore: created database \(name)")
    }

    private func restoreArchive(path: String, program: ClientProgram, into target: String, listFile: String?, clean: Bool, tableCount: Int, context: CommandContext) throws -> RestoreOutcome {
        let cores = max(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 1)
        var arguments = ["--dbname=\(target)", "--verbose", "--jobs=\(jobs ?? cores)"]
        if clean { arguments += ["--clean", "--if-exists"] }
        if let listFile { arguments.append("--use-list=\(listFile)") }
        arguments.append(path)
        var outcome = RestoreOutcome()
        let progress = RestoreProgress(context: context, target: target, total: tableCount)
        let result = try program.run(arguments, in: context, stdout: .discard, stderr: .lines { line in
            _ = progress.take(line)
            outcome.take(line)
        }, tick: progress.tick)
        progress.finish()
        outcome.finish()
        outcome.status = result.status
        outcome.cancelled = result.cancelled
        outcome.duration = result.duration
        return outcome
    }

    private func restorePlain(path: String, into target: String, context: CommandContext) throws -> RestoreOutcome {
        // gzip -dc writes into a pipe that psql reads as its standard input.
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw CommandError("cannot create a pipe: \(String(cString: strerror(errno)))") }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        defer { if ends[0] >= 0 { close(ends[0]) } }
        let gzip: ChildProcess
        do {
            gzip = try ChildProcess("gzip", ["-dc", path], stdout: .descriptor(ends[1]))
        } catch {
            close(ends[1])
            throw error
        }
        // Our copy of the write end must be closed, or psql would inherit it and never see the end.
        close(ends[1])
        var outcome = RestoreOutcome()
        // The COPY count the verification read found, when the backup has a manifest.
        let progress = RestoreProgress(context: context, target: target, total: try BackupManifest.read(path: path + ".manifest")?.tableDataEntries)
        // Without -q psql prints each statement's command tag: "COPY 1000" ends a table's rows.
        let result = try ClientProgram(.psql).run(
            ["-X", "-v", "ON_ERROR_STOP=0", "-v", "VERBOSITY=default", "-v", "ECHO=errors", "-f", "-"], in: context, database: target,
            stdin: .descriptor(ends[0]),
            stdout: .lines { line in if line.hasPrefix("COPY ") { progress.tableCopied() } },
            stderr: .lines { line in
                outcome.take(line)
            }, tick: progress.tick)
        progress.finish()
        outcome.finish()
        // psql has ended: its input is closed here too, so a gzip still writing ends.
        close(ends[0])
        ends[0] = -1
        let decompressed = gzip.wait { context.isCancelled }
        outcome.status = decompressed.succeeded ? result.status : 1
        if !decompressed.succeeded { outcome.errors.append("gzip -dc \(path) failed (status \(decompressed.status))") }
        outcome.cancelled = result.cancelled || decompressed.cancelled
        outcome.duration = result.duration
        return outcome
    }

    private func report(_ outcome: RestoreOutcome, fileName: String, target: String, tables: Set<String>?,
                        program: ClientProgram?, context: CommandContext) throws {
        for error in outcome.errors { context.console.printError(error) }
        if outcome.cancelled {
            throw CommandError("restore cancelled: database \(target) is incomplete", hint: "drop it (DROP DATABASE) or restore again with --clean")
        }
        // Row counts of what was restored: a count per table, so a first query writes the statement.
        let writer = try ClientProgram(.psql).run(["-X", "-A", "-t", "-q", "-c", """
            SELECT COALESCE(string_agg(format('SELECT %L, count(*) FROM %I.%I', n.nspname || '.' || c.relname, n.nspname, c.relname),
                                       ' UNION ALL '), 'SELECT NULL, NULL WHERE false') || ' ORDER BY 1'
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
            """], in: context, database: target)
        let counts = writer.succeeded
            ? try ClientProgram(.psql).run(["-X", "-A", "-t", "-q", "-F", "\t", "-c", writer.stdoutText], in: context, database: target)
            : writer
        // A count that failed is said, never shown as "0 tables"; after a failed restore its own
        // failure is the one reported.
        let countFailure = counts.succeeded ? nil
            : counts.stderrText.split(separator: "\n").first.map(String.init) ?? "psql exited with status \(counts.status)"
        if let countFailure, !outcome.failed {
            throw CommandError("restore into \(target) finished, but counting its rows failed: \(countFailure)",
                               hint: "the restore itself succeeded; count the rows with SELECT count(*)")
        }
        var rows: [(String, String)] = []
        for line in counts.stdoutText.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard parts.count == 2, tables?.contains(parts[0]) ?? true else { continue }
            rows.append((parts[0], parts[1]))
        }
        if !rows.isEmpty {
            // In the user's format, as a query result prints (counts right-aligned).
            context.printTable(described: [ColumnDescription(name: "Table", typeOID: TypeOID.text),
                                           ColumnDescription(name: "Rows", typeOID: TypeOID.int8)],
                               rows: rows.map { [$0.0, $0.1] })
        }
        var summary = "restore: \(fileName) into database \(target): "
            + (countFailure.map { "tables not counted (\($0))" } ?? "\(rows.count) table\(rows.count == 1 ? "" : "s")")
        summary += String(format: ", %.1f s", outcome.duration)
        if let harmless = outcome.harmlessSummary { summary += "; " + harmless }
        // Which pg_restore restored it: the server's version, or the newest newer one found.
        if let version = try program?.version() { summary += "\nrestore: loaded by pg_restore \(version.number)" }
        if outcome.failed {
            context.console.print(summary)
            let real = outcome.errorCount
            throw CommandError("restore into \(target) finished with \(real > 0 ? "\(real) error\(real == 1 ? "" : "s")" : "status \(outcome.status)")",
                               hint: "see the errors above; the database \(target) may be incomplete")
        }
        context.console.print(summary)
    }
}

/// Errors reported by pg_restore or psql, sorted into harmless (ownership and grants for roles
/// that do not exist on the target) and real ones. Harmless ones are counted and summarised by
/// role, never hidden. An error is harmless only when it says `role "R" does not exist` AND the
/// statement that failed (pg_restore's `Command was:`, psql's `STATEMENT:` with `ECHO=errors`)
/// is an ownership or privilege statement: a connection refused for a missing role, or a policy
/// naming one, is a real error.
struct RestoreOutcome {
    var errors: [String] = []
    var errorCount = 0
    var harmless = 0
    /// Harmless errors by missing role.
    var missingRoles: [String: Int] = [:]
    /// pg_restore's "errors ignored on restore: N".
    var ignoredByPgRestore: Int?
    var status: Int32 = 0
    var cancelled = false
    var duration = 0.0
    /// The error being read: its lines, and the role it says is missing.
    private var pending: (lines: [String], missingRole: String?)?

    mutating func take(_ line: String) {
        if let range = line.range(of: "errors ignored on restore: ") {
            ignoredByPgRestore = Int(line[range.upperBound...].trimmingCharacters(in: .whitespaces))
            return
        }
        if let statement = Self.statement(in: line) {
            if var block = pending {
                pending = nil
                if let role = block.missingRole, Self.isOwnershipOrPrivilege(statement) {
                    harmless += 1
                    missingRoles[role, default: 0] += 1
                } else {
                    block.lines.append(line)
                    real(block.lines)
                }
            }
            return
        }
        let isError = line.contains("ERROR:") || line.contains("error:") || line.contains("FATAL:")
        if !isError {
            let context = line.hasPrefix("LINE ") || line.hasPrefix("DETAIL:") || line.hasPrefix("HINT:") || line.hasPrefix("    ")
                || line.contains(": DETAIL:") || line.contains(": HINT:")
            if context, pending != nil { pending!.lines.append(line) }
            return
        }
        if pending != nil, !Self.startsMessage(line) {
            // The rest of a line whose head another pg_restore worker's output broke off: the
            // workers write a message in pieces to the same stderr. It is the same error.
            pending!.lines.append(line)
            if pending!.missingRole == nil, !line.contains("FATAL:") { pending!.missingRole = Self.missingRole(in: line) }
            return
        }
        flush()
        pending = (lines: [line], missingRole: line.contains("FATAL:") ? nil : Self.missingRole(in: line))
    }

    /// Whether a line begins a message of its own: pg_restore and psql put their name first.
    static func startsMessage(_ line: String) -> Bool {
        line.hasPrefix("pg_restore:") || line.hasPrefix("psql:")
    }

    /// The end of the output: an error still waiting for its statement is a real one.
    mutating func finish() {
        flush()
        noteRepeats()
    }

    private mutating func flush() {
        if let block = pending { real(block.lines) }
        pending = nil
    }

    /// The connection was lost: every later statement fails alike, "no connection to the
    /// server". Those are counted, not shown one by one.
    private var connectionLost = false
    private var failedAfterLoss = 0

    private mutating func real(_ lines: [String]) {
        errorCount += 1
        let first = lines.first ?? ""
        if connectionLost, first.contains("no connection to the server") {
            failedAfterLoss += 1
            return
        }
        if first.contains("server closed the connection") || first.contains("no connection to the server")
            || first.contains("terminating connection") {
            connectionLost = true
        }
        errors += lines
    }

    private mutating func noteRepeats() {
        guard failedAfterLoss > 0 else { return }
        errors.append("(\(failedAfterLoss) more step\(failedAfterLoss == 1 ? "" : "s") failed the same way: no connection to the server)")
        failedAfterLoss = 0
    }

    /// Whether the restore failed: a real error, or a failing exit status not fully explained by
    /// harmless errors (pg_restore exits 1 when it ignored any error; psql exits 0 after SQL
    /// errors, so a failing psql status is always fatal).
    var failed: Bool {
        if cancelled || errorCount > 0 { return true }
        guard status != 0 else { return false }
        // pg_restore's own count is not compared with ours: with --jobs above 1 it counts some
        // errors twice (PostgreSQL 15: 2 errors reported, "errors ignored on restore: 3").
        return harmless == 0 || ignoredByPgRestore == nil
    }

    /// A one-line account of the harmless errors, by role.
    var harmlessSummary: String? {
        guard harmless > 0 else { return nil }
        let roles = missingRoles.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
        return "\(harmless) harmless error\(harmless == 1 ? "" : "s"): ownership or grants for role\(missingRoles.count == 1 ? "" : "s") that do not exist here: \(roles)"
    }

    /// The failed statement in `Command was: SQL` (pg_restore) or `psql:FILE:LINE: STATEMENT:  SQL`.
    static func statement(in line: String) -> String? {
        if line.hasPrefix("Command was: ") { return String(line.dropFirst("Command was: ".count)) }
        if line.hasPrefix("psql:"), let range = line.range(of: ": STATEMENT:") {
            return line[range.upperBound...].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// R in `ERROR:  role "R" does not exist`.
    static func missingRole(in line: String) -> String? {
        guard line.contains("ERROR:"), let start = line.range(of: "role \""),
              let end = line.range(of: "\" does not exist", range: start.upperBound..<line.endIndex) else { return nil }
        return String(line[start.upperBound..<end.lowerBound])
    }

    /// ALTER ... OWNER TO, GRANT, REVOKE, ALTER DEFAULT PRIVILEGES: what pg_dump writes for owners and privileges.
    static func isOwnershipOrPrivilege(_ statement: String) -> Bool {
        let upper = statement.uppercased()
        return (upper.hasPrefix("ALTER ") && upper.contains(" OWNER TO ")) || upper.hasPrefix("GRANT ") || upper.hasPrefix("REVOKE ")
            || upper.hasPrefix("ALTER DEFAULT PRIVILEGES ")
    }
}

enum PlainDump {
    /// Hands each line of the decompressed dump (without its newline) to `line` as `gzip -dc`
    /// produces it: a dump of any size is never held in memory. A gzip that fails is reported
    /// after the lines it did produce.
    static func forEachLine(_ path: String, cancelled: () -> Bool = { false }, _ line: @escaping (String) -> Void) throws {
        let gzip = try ChildProcess.run("gzip", ["-dc", path], stdout: .lines(line), cancelled: cancelled)
        guard gzip.succeeded else {
            throw CommandError("gzip -dc \(path) failed: " + (gzip.stderrText.split(separator: "\n").first.map(String.init) ?? "status \(gzip.status)"))
        }
    }
}

extension RestoreCommand {
    /// `--engine pgbackrest`: the table (or rows) as of a time, into a new database.
    func recoverPointInTime(context: CommandContext) throws {
        guard let asOf else { throw CommandError("--engine pgbackrest needs --as-of TIME (the moment to recover)") }
        guard tables.count == 1 else { throw CommandError("--engine pgbackrest needs one --table T (the table to recover)") }
        if !schemas.isEmpty || clean || list || jobs != nil || dir != nil || yes {
            throw CommandError("--schema, --clean, --list, --jobs, --dir and --yes are for restoring backup files, not for --engine pgbackrest")
        }
        // `--into-new DB` (the flag, then the name) or `--into DB`.
        let target: String
        if let into, file == nil {
            target = into
        } else if intoNew, into == nil, let file {
            target = file
        } else {
            throw CommandError("--engine pgbackrest needs the new database: --into-new DB", hint: "recovered rows never go over live ones")
        }
        let keepFree = self.keepFree ?? 256
        if keepFree < 0 { throw CommandError("--keep-free must not be negative") }
        try PointInTimeRecovery(asOf: asOf, table: tables[0], condition: condition, newDatabase: target, stanza: stanza,
                                scratchParent: scratchDir.map(BackupFiles.expand) ?? Self.temporaryFolder,
                                keepFree: keepFree * 1_048_576).run(context: context)
    }
}

extension RestoreCommand {
    /// The temporary folder without its trailing slash (a short path: the scratch socket lives under it).
    static var temporaryFolder: String {
        var folder = NSTemporaryDirectory()
        while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
        return folder.isEmpty ? "/tmp" : folder
    }
}
