import CurateKit
import Foundation

/// `\backup --engine pgbackrest`: take, list, verify and prune pgBackRest backup sets with
/// curate's commands. curate reads pgBackRest's JSON (`info --output=json`) and exit statuses;
/// its human text is only passed on when a command fails, except verify's summary, which has
/// no JSON (`PgBackRestVerifyReport`).
struct PgBackRestEngine {
    let options: BackupCommand
    let pgbackrest: PgBackRest

    init(options: BackupCommand, context: CommandContext) throws {
        // Not accepted and ignored: pg_dump's options with pgBackRest.
        let dumpOnly = [(options.format != .custom, "--format"), (options.jobs != nil, "--jobs"), (!options.excludeTable.isEmpty, "--exclude-table"),
                        (!options.excludeTableData.isEmpty, "--exclude-table-data"), (options.dataOnly, "--data-only"), (options.dir != nil, "--dir"),
                        (options.globals, "--globals"), (options.rolePasswords, "--role-passwords"), (options.snapshot, "--snapshot")]
        if let used = dumpOnly.first(where: { $0.0 }) {
            throw CommandError("\(used.1) is for pg_dump backups, not --engine pgbackrest",
                               hint: "pgBackRest backs up the whole cluster; its own options go in its configuration")
        }
        self.options = options
        pgbackrest = try PgBackRest(stanza: options.stanza, context: context)
    }

    func run(context: CommandContext) throws {
        if options.createStanza {
            guard options.action.isEmpty || options.action.first == "check" else {
                throw CommandError("--create-stanza goes with taking a backup or \\backup check")
            }
            try createStanza(context: context)
        }
        switch options.action.first {
        case "list": try list(context: context)
        case "verify": try verify(context: context)
        case "prune": try prune(context: context)
        case "check": try check(context: context)
        default: try backup(context: context)
        }
    }

    // MARK: Backup

    /// `stanza-create`: makes the stanza, or checks an existing one matches the cluster.
    private func createStanza(context: CommandContext) throws {
        do {
            try pgbackrest.require("stanza-create", context: context)
        } catch let failure as PgBackRest.Failure {
            throw CommandError("creating stanza \(pgbackrest.stanza) failed: " + failure.lines.joined(separator: "\n"),
                               hint: "check pgBackRest's configuration (pg1-path, repo1-path) and that the server runs")
        }
        context.console.print("pgbackrest: stanza \(pgbackrest.stanza) is ready (stanza-create)")
    }

    private func backup(context: CommandContext) throws {
        let before = try pgbackrest.info(context: context)
        // Before the first backup: a backup whose WAL is not archived cannot be restored.
        if before.backup.isEmpty { try check(context: context) }
        let type = (options.type ?? .full).rawValue
        if type != "full" && !before.backup.contains(where: { $0.type == "full" }) {
            context.console.printError("NOTE: stanza \(pgbackrest.stanza) has no full backup yet: pgBackRest takes a full one instead of \(type)")
        }
        // An interactive backup starts at once (an immediate checkpoint) unless asked to spread it.
        let start = options.spreadCheckpoint ? [] : ["--start-fast"]
        let result = try pgbackrest.run("backup", ["--type=\(type)"] + start + archiveTimeout, context: context)
        if result.cancelled { throw CommandError("backup cancelled", hint: "pgBackRest keeps no partial backup set in its list") }
        guard result.succeeded else {
            throw CommandError("pgbackrest backup failed (exit status \(result.status)):\n" + PgBackRest.errorLines(result).joined(separator: "\n"),
                               hint: "\\backup check --engine pgbackrest tests the configuration and WAL archiving")
        }
        let after = try pgbackrest.info(context: context)
        let known = Set(before.backup.map(\.label))
        guard let made = after.backup.last(where: { !known.contains($0.label) }) else {
            throw CommandError("pgbackrest backup ended without error but its repository lists no new backup set")
        }
        for line in PgBackRest.errorLines(result) where line.contains("WARN") { context.console.printError("pgbackrest: " + line) }
        context.console.print("backup: pgBackRest \(made.type) \(made.label) of stanza \(pgbackrest.stanza) ("
                              + "\(BackupFiles.humanSize(made.info.size)) database, \(BackupFiles.humanSize(made.info.repository?.delta ?? made.info.delta)) written to the repository, "
                              + String(format: "%.1f s", result.duration) + ")")
    }

    private var archiveTimeout: [String] {
        options.archiveTimeout.map { ["--archive-timeout=\($0)"] } ?? []
    }

    /// `pgbackrest check`: the configuration is right and a WAL segment reaches the repository.
    private func check(context: CommandContext) throws {
        let result = try pgbackrest.run("check", archiveTimeout, context: context)
        if result.cancelled { throw CommandCancelled() }
        guard result.succeeded else {
            throw CommandError("WAL archiving to stanza \(pgbackrest.stanza) does not work: pgbackrest check failed:\n"
                                   + PgBackRest.errorLines(result).joined(separator: "\n"),
                               hint: "archive_command must run `pgbackrest --stanza=\(pgbackrest.stanza) archive-push %p` with the same repository (see the server log); no backup was taken")
        }
        context.console.print("pgbackrest check: stanza \(pgbackrest.stanza) is configured and WAL archiving works")
    }

    // MARK: List

    private func list(context: CommandContext) throws {
        let info = try pgbackrest.info(context: context)
        let plan = PgBackRestRetention(policy: options.policy).plan(info.backup, stanza: pgbackrest.stanza, now: Date())
        let byLabel = Dictionary(info.backup.map { ($0.label, $0) }, uniquingKeysWith: { first, _ in first })
        var rows: [[String]] = [["Backup", "Type", "Stopped", "Size", "Repository", "State", "Retention"]]
        for decision in plan.decisions {
            guard let backup = byLabel[decision.label] else { continue }
            let retention = decision.action == .keep ? "kept: " + decision.reason : "prune would delete: " + decision.reason
            rows.append([backup.label, backup.type, Self.localTime(backup.stopped), BackupFiles.humanSize(backup.info.size),
                         BackupFiles.humanSize(backup.info.repository?.delta ?? backup.info.delta),
                         backup.error == true ? "page checksum errors" : "complete", retention])
        }
        context.console.print("pgBackRest backups of stanza \(pgbackrest.stanza)")
        BackupFolder.printTable(rows, context: context)
        if let archive = info.archive.last, let min = archive.min, let max = archive.max {
            context.console.print("WAL archive \(archive.id): \(min) to \(max)")
        }
        for note in plan.notes { context.console.print(note) }
    }

    static func localTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ssZZZZZ"
        return formatter.string(from: date)
    }

    // MARK: Verify

    /// `pgbackrest verify` checks every file of every backup set and the WAL archive against
    /// the checksums in its manifests. Its verdict per set comes from its summary
    /// (`PgBackRestVerifyReport`): 2.45 has no JSON for it and exits 0 on invalid sets.
    private func verify(context: CommandContext) throws {
        if options.action.count > 1 {
            throw CommandError("\\backup verify --engine pgbackrest checks the whole repository: it takes no backup name",
                               hint: "pgbackrest verify reads every backup set and the WAL archive")
        }
        let info = try pgbackrest.info(context: context)
        let result = try pgbackrest.run("verify", ["--output=text", "--verbose"], context: context)
        if result.cancelled { throw CommandCancelled() }
        guard result.succeeded, let report = PgBackRestVerifyReport.parse(result.stdoutText, stanza: pgbackrest.stanza) else {
            throw CommandError("stanza \(pgbackrest.stanza) FAILED verification: pgbackrest verify gave no report (exit status \(result.status)):\n"
                                   + PgBackRest.errorLines(result).joined(separator: "\n"))
        }
        var rows: [[String]] = [["Backup", "Type", "Result", "Files"]]
        let types = Dictionary(info.backup.map { ($0.label, $0.type) }, uniquingKeysWith: { first, _ in first })
        for set in report.sets.reversed() {
            let files = set.filesChecked.map { checked in "\(set.filesValid ?? 0) of \(checked) valid" } ?? ""
            let result = set.status == "valid" ? "OK (every file matches its checksum)" : "FAILED: " + (set.problems ?? set.status)
            rows.append([set.label, types[set.label] ?? "", result, files])
        }
        BackupFolder.printTable(rows, context: context)
        for line in report.archive { context.console.print("WAL " + line) }
        guard report.ok else {
            let bad = report.sets.filter { $0.status != "valid" }.map(\.label)
            throw CommandError("stanza \(pgbackrest.stanza) FAILED verification (pgBackRest's status: \(report.status))"
                                   + (bad.isEmpty ? "" : ": " + bad.joined(separator: ", ") + " invalid"),
                               hint: "take a new full backup (\\backup --engine pgbackrest --type full); pgBackRest's log has the details")
        }
        context.console.print("verify: stanza \(pgbackrest.stanza): \(report.sets.count) backup set\(report.sets.count == 1 ? "" : "s") and the WAL archive OK")
    }

    // MARK: Prune

    private func prune(context: CommandContext) throws {
        let info = try pgbackrest.info(context: context)
        let plan = PgBackRestRetention(policy: options.policy).plan(info.backup, stanza: pgbackrest.stanza, now: Date())
        var rows: [[String]] = [["Backup", "Action", "Why"]]
        for decision in plan.decisions {
            rows.append([decision.label, decision.action == .keep ? "keep" : (options.dryRun ? "would delete" : "delete"), decision.reason])
        }
        BackupFolder.printQuestionText(rows, context: context)
        for note in plan.notes { context.console.print(note) }
        let deletions = plan.deletions
        guard !deletions.isEmpty else {
            context.console.print("prune: nothing to delete")
            return
        }
        if options.dryRun {
            context.console.print("prune --dry-run: \(deletions.count) backup set\(deletions.count == 1 ? "" : "s") would be deleted")
            return
        }
        guard try context.confirm("Delete \(deletions.count) backup set\(deletions.count == 1 ? "" : "s") listed above from stanza \(pgbackrest.stanza)?",
                                  assumeYes: options.yes) else {
            context.console.print("prune: nothing deleted")
            return
        }
        for label in plan.expiredFulls {
            do {
                try pgbackrest.require("expire", ["--set=\(label)"], context: context)
            } catch let failure as PgBackRest.Failure {
                throw CommandError("pgbackrest expire --set=\(label) failed: " + failure.lines.joined(separator: "\n"))
            }
        }
        let left = Set(try pgbackrest.info(context: context).backup.map(\.label))
        let gone = deletions.filter { !left.contains($0.label) }.count
        context.console.print("prune: deleted \(gone) backup set\(gone == 1 ? "" : "s") (pgbackrest expire)")
    }
}
