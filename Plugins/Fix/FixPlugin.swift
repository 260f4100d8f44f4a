import ArgumentParser
import CurateChecks
import CurateKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `fix` plugin: `\fix`.
public struct FixPlugin: CheckCatalogHolder {
    /// The checks and their fixes; the check plugin's catalog when given, so a reload there is
    /// seen here.
    public let catalog: CheckCatalogStore

    public init(catalog: CheckCatalogStore = CheckCatalogStore()) {
        self.catalog = catalog
    }

    public var name: String { "fix" }
    public var version: String { CurateRelease.version }
    public var commands: [any CurateCommand.Type] { [FixCommand.self] }
}

/// The user said no: nothing is written.
struct Declined: Error {}
/// A dry run ends by rolling back on purpose.
struct DryRunDone: Error {}

/// `\fix NAME [--where COND] [--from-standby] [--dry-run] [--commit] [--yes] [--no-audit]`, `\fix history`,
/// `\fix undo AUDIT_ID`, `\fix harden CHECK`, `\fix` alone lists the fixes.
struct FixCommand: CurateCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix",
        abstract: "Repair what a check found, audited and undoable (\\fix alone lists the fixes).",
        discussion: """
            \\fix NAME            repair what check NAME finds (preview, then the transaction is left open)
            \\fix history         list the audit records
            \\fix undo AUDIT_ID   restore the rows a fix changed
            \\fix harden CHECK    create the constraint that makes the database hold the rule
            Variables: CURATE_AUDIT_SCHEMA (default curate), CURATE_FIX_CONFIRM_ROWS (default 100), \
            CURATE_FIX_PREVIEW_ROWS (default 20).
            """)

    static var capabilities: CommandCapabilities { [.writesDatabase, .requiresNoTransaction] }

    /// Listing fixes and the audit history only read; a preview writes (then rolls back), so it
    /// needs a writable session too; hardening and statements that cannot run in a transaction
    /// (`REINDEX ... CONCURRENTLY`) need the transaction closed.
    func invocationCapabilities(context: CommandContext) -> CommandCapabilities {
        switch words.first {
        case nil, "history": return []
        case "undo": return [.writesDatabase]
        case "harden": return [.writesDatabase, .requiresNoTransaction]
        case let name?:
            if case .statements(let fix)? = CheckCatalogStore.catalog(of: context.plugin).fix(for: name)?.kind, !fix.transactional {
                return [.writesDatabase, .requiresNoTransaction]
            }
            return [.writesDatabase]
        }
    }

    /// Tab offers the subcommands, then the checks that have a fix (or can be hardened).
    static func completions(for request: CompletionRequest) -> [String] {
        let catalog = CheckCatalogStore.catalog(of: request.plugin)
        if request.previousWords.isEmpty { return ["history", "undo", "harden"] + catalog.fixes.map(\.check) }
        if request.previousWords == ["harden"] { return catalog.checks.map(\.name) }
        return []
    }

    @Argument(help: "A check name, or history, undo AUDIT_ID, harden CHECK.")
    var words: [String] = []

    @Option(help: "Only repair the offending rows of the target table matching this SQL condition (its columns unqualified).")
    var `where`: String?

    @Flag(name: .customLong("from-standby"), help: "Repair only the rows the last \\check NAME --on standby found, re-checked on the primary first.")
    var fromStandby = false

    @Flag(name: .customLong("dry-run"), help: "Show the preview, then roll back.")
    var dryRun = false

    @Flag(help: "Commit at once (not inside your own transaction).")
    var commit = false

    @Flag(help: "Answer yes to confirmations (needed in scripts).")
    var yes = false

    @Flag(name: .customLong("no-audit"), help: "Fix without an audit record (when the audit schema cannot be created).")
    var noAudit = false

    @Flag(name: .customLong("restore-rest"), help: "undo: restore the rows that still hold the fix's values even when others changed since.")
    var restoreRest = false

    @Option(help: "history: show at most N records.")
    var limit: Int = 50

    @Option(help: "history: only records that changed rows of this table.")
    var table: String?

    @Option(help: "history: only records that changed the row with this key value (of --table when given).")
    var key: String?

    @Option(help: "history: only records of this check.")
    var check: String?

    @Option(help: "history: only records since a time (2024-06-30) or an interval before now ('2 days').")
    var since: String?

    @Option(help: "history: only records by this user (database or operating-system user).")
    var user: String?

    @Flag(help: "history: only fixes that were undone.")
    var undone = false

    func validate() throws {
        if dryRun && commit { throw ValidationError("--dry-run and --commit cannot be used together") }
        if fromStandby && (words.isEmpty || ["history", "undo", "harden"].contains(words[0])) {
            throw ValidationError("--from-standby goes with \\fix NAME only")
        }
        if words.first != "history" && (table != nil || key != nil || check != nil || since != nil || user != nil || undone) {
            throw ValidationError("--table, --key, --check, --since, --user and --undone filter \\fix history only")
        }
    }

    func run(context: CommandContext) throws {
        do {
            try runSubcommand(context: context)
        } catch var error as ServerError where error.sqlState == "42501" && error.hint == nil {
            // insufficient_privilege: the fix ran in its own transaction or savepoint, rolled back.
            error.hint = "the role \"\(context.session.info.user)\" lacks a privilege this needs; nothing was changed. "
                + "Ask the owner of the object (or an administrator) to GRANT it, or run the fix as a role that has it"
            throw error
        }
    }

    private func runSubcommand(context: CommandContext) throws {
        let catalog = CheckCatalogStore.catalog(of: context.plugin)
        guard let first = words.first else {
            listFixes(catalog, context)
            return
        }
        if first != "history" { try FixTarget.requirePrimary(context.session) }
        let standbyFindings = fromStandby ? try FixTarget.standbyFindings(of: first, context: context) : nil
        var engine = FixEngine(context: context, catalog: catalog, options: FixOptions(
            condition: `where`, dryRun: dryRun, commit: commit, yes: yes, noAudit: noAudit, restoreRest: restoreRest,
            standbyFindings: standbyFindings))
        switch first {
        case "history":
            try engine.history(FixHistoryFilter(limit: limit, table: table, key: key, check: check, since: since, user: user, undone: undone))
        case "undo":
            guard words.count == 2, let id = Int64(words[1]) else {
                throw CommandError("usage: \\fix undo AUDIT_ID", hint: "\\fix history lists the audit ids")
            }
            try engine.undo(auditID: id)
        case "harden":
            guard words.count == 2 else { throw CommandError("usage: \\fix harden CHECK") }
            try engine.harden(checkName: words[1])
        default:
            guard words.count == 1 else { throw CommandError("\\fix repairs one check at a time") }
            guard let check = catalog.check(named: first) else {
                throw CommandError("no check named \"\(first)\"", hint: "\\fix alone lists the fixes")
            }
            try engine.fix(check)
        }
    }

    private func listFixes(_ catalog: CheckCatalog, _ context: CommandContext) {
        let rows: [[String?]] = catalog.checks.map { check in
            [check.name, check.pack, catalog.fix(for: check.name)?.summary ?? "no safe automatic repair"]
        }
        context.printTable(columns: ["check", "pack", "fix"], rows: rows)
    }
}

struct FixOptions {
    var condition: String?
    var dryRun: Bool
    var commit: Bool
    var yes: Bool
    var noAudit: Bool
    var restoreRest: Bool
    /// `--from-standby`: the standby run's findings the fix is limited to.
    var standbyFindings: StandbyFindings.Entry? = nil
}
