import ArgumentParser
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
            \\backup verify FILE          read FILE to the end again (custom: every block inflated with its check) and compare its SHA-256
            \\backup prune [--dry-run]    grandfather-father-son retention (asks first; --yes in scripts)
            The folder is --dir, else \\set BACKUP_DIR, else $CURATE_BACKUP_DIR, else ~/.local/share/curate/backups.
            --engine pgbackrest (or \\set BACKUP_ENGINE pgbackrest) drives pgBackRest for a stanza instead:
            \\backup [--type full|diff|incr] [--create-stanza], \\backup check, \\backup list, \\backup verify, \\backup prune.
            """)

    static var capabilities: CommandCapabilities { [.startsPrograms] }

    @Argument(help: "list | verify FILE | prune | check (nothing: take a backup)")
    var action: [String] = []

    @Option(help: "pg_dump or pgbackrest (default: \\set BACKUP_ENGINE, else pg_dump)")
    var engine: BackupEngine?

    @Option(help: "pgbackrest: the stanza (default: \\set PGBACKREST_STANZA, $PGBACKREST_STANZA, the repository's only one)")
    var stanza: String?

    @Flag(name: .customLong("create-stanza"), help: "pgbackrest: create the stanza first (pgbackrest stanza-create)")
    var createStanza = false

    @Option(help: "pgbackrest: full (default), diff or incr")
    var type: PgBackRestBackupType?

    @Flag(name: .customLong("spread-checkpoint"), help: "pgbackrest: wait for a spread checkpoint instead of starting at once (no --start-fast)")
    var spreadCheckpoint = false

    @Option(name: .customLong("archive-timeout"), help: "pgbackrest: seconds to wait for a WAL segment to reach the repository")
    var archiveTimeout: Int?

    @Option(help: "custom, plain (gzip -7) or directory")
    var format: BackupFormat = .custom

    @Option(help: "parallel dump jobs (directory format only)")
    var jobs: Int?

    @Option(name: .customLong("exclude-table"), help: "leave out tables matching PATTERN (pg_dump's pattern); repeatable")
    var excludeTable: [String] = []

    @Option(name: .customLong("exclude-table-data"), help: "keep the definition of tables matching PATTERN, leave out their rows (pg_dump's pattern); repeatable")
    var excludeTableData: [String] = []

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

    @Option(name: .customLong("keep-daily"), help: "prune: keep every backup of the last N days")
    var keepDaily: Int = 10

    @Option(name: .customLong("keep-weekly"), help: "prune: keep the newest of each of the last N ISO weeks")
    var keepWeekly: Int = 13

    @Option(name: .customLong("keep-monthly"), help: "prune: keep the newest of each of the last N months (default: all)")
    var keepMonthly: Int?

    @Flag(help: "prune: delete without asking (needed in scripts)")
    var yes = false

    var policy: RetentionPolicy { RetentionPolicy(keepDaily: keepDaily, keepWeekly: keepWeekly, keepMonthly: keepMonthly) }

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if keepDaily < 0 || keepWeekly < 0 || (keepMonthly ?? 0) < 0 { throw ValidationError("--keep-* must not be negative") }
        if let first = action.first, !["list", "verify", "prune", "check"].contains(first) {
            throw ValidationError("unknown action \(first): use list, verify FILE, prune or check")
        }
        if let archiveTimeout, archiveTimeout < 1 { throw ValidationError("--archive-timeout must be at least 1") }
        // pgBackRest verifies its whole repository: no FILE then (the engine may come from a variable).
        if action.first == "verify", action.count > 2 { throw ValidationError("usage: \\backup verify FILE") }
        if action.first != "verify", action.count > 1 { throw ValidationError("unexpected argument \(action[1])") }
    }

    func run(context: CommandContext) throws {
        let engine = try BackupEngine.resolve(option: engine, variables: context.variables)
        if engine == .pgbackrest { return try PgBackRestEngine(options: self, context: context).run(context: context) }
        // Not accepted and ignored: pgBackRest's options with pg_dump.
        let pgbackrestOnly = [(stanza != nil, "--stanza"), (createStanza, "--create-stanza"), (type != nil, "--type"),
                              (spreadCheckpoint, "--spread-checkpoint"), (archiveTimeout != nil, "--archive-timeout")]
        if let used = pgbackrestOnly.first(where: { $0.0 }) {
            throw CommandError("\(used.1) is for --engine pgbackrest, not pg_dump backups")
        }
        if action.first == "check" { throw CommandError("\\backup check is for --engine pgbackrest (pgbackrest check)") }
        if action.first == "verify", action.count != 2 { throw CommandError("usage: \\backup verify FILE") }
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
        var manifest: BackupManifest?
        var manifestProblem: String?
        do {
            manifest = try BackupManifest.read(path: manifestPath)
        } catch {
            // Reported as a failure of the verification; the file is left as it is.
            manifestProblem = "\(error)"
        }
        // Table sizes share a custom archive's read evenly when the backup is of this database.
        let tables = name.format == .custom ? DatabaseTables.read(session: context.session) : nil
        let verification = try BackupVerification.run(path: path, format: name.format, tables: tables, context: context)
        // An interrupted read says nothing about the backup: the manifest is left as it was.
        try context.checkCancellation()
        let digest = verification.sha256
        var problems: [String] = []
        if !verification.ok { problems.append(verification.failure ?? "verification failed") }
        if let manifestProblem { problems.append(manifestProblem) }
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
                               hint: manifestProblem != nil ? "remove or repair the manifest, then verify again"
                                   : manifest == nil ? nil : "the manifest now records the failure: prune deletes nothing while this is the newest backup")
        }
        var line = "\(fileName): OK (read to the end"
        if let entries = verification.tocEntries { line += ", \(entries) entries" }
        line += manifest == nil ? "; no manifest, so no recorded SHA-256 to compare: \(digest))" : ", SHA-256 matches the manifest)"
        context.console.print(line)
    }
}
