import CurateKit
import Foundation

/// A backup folder as prune and list see it.
public struct BackupFolder {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Every name in the folder except manifests and globals files (they go with their backup),
    /// with the verification state recorded in each backup's manifest.
    public func entries() throws -> [RetentionPolicy.Entry] {
        guard BackupFiles.isDirectory(path) else {
            throw CommandError("no backup folder at \(path)", hint: "take a backup first (\\backup), or pass --dir / \\set BACKUP_DIR")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        let present = Set(names)
        var entries: [RetentionPolicy.Entry] = []
        for name in names {
            if name.hasSuffix(".manifest") || name.hasSuffix(".globals.sql"), let base = Self.owner(of: name), present.contains(base) { continue }
            if name.hasSuffix(".manifest") || name.hasSuffix(".globals.sql"), Self.owner(of: name).flatMap(BackupName.parse) != nil {
                continue
            }
            entries.append(RetentionPolicy.Entry(fileName: name, state: try state(of: name)))
        }
        return entries
    }

    /// The backup a manifest or globals file belongs to.
    static func owner(of name: String) -> String? {
        for suffix in [".manifest", ".globals.sql"] where name.hasSuffix(suffix) { return String(name.dropLast(suffix.count)) }
        return nil
    }

    /// A corrupt manifest is an error: listing and pruning must not take it for "no manifest".
    func state(of name: String) throws -> VerificationState {
        guard let parsed = BackupName.parse(name) else { return .unverified }
        if parsed.kind == .failed { return .failed }
        guard parsed.kind == .backup else { return .unverified }
        do {
            return try BackupManifest.read(path: path + "/" + name + ".manifest")?.state ?? .unverified
        } catch {
            throw CommandError("\(name): \(error)",
                               hint: "remove or repair the manifest (\\backup verify \(name) then checks the backup again)")
        }
    }

    func list(policy: RetentionPolicy, context: CommandContext) throws {
        let entries = try entries()
        let plan = policy.plan(entries, now: BackupTimestamp.now())
        let states = Dictionary(entries.map { ($0.fileName, $0.state) }, uniquingKeysWith: { first, _ in first })
        var rows: [[String]] = [["Backup", "Format", "Size", "State", "Retention"]]
        let backups = plan.decisions.filter { $0.name != nil }.sorted { $0.name!.timestamp > $1.name!.timestamp }
        for decision in backups {
            let name = decision.name!
            let state: String
            switch name.kind {
            case .partial: state = "incomplete"
            case .failed: state = "FAILED (backup)"
            case .backup:
                switch states[decision.fileName] ?? .unverified {
                case .verified: state = "verified"
                case .unverified: state = "no manifest"
                case .failed: state = "FAILED verify"
                }
            }
            let retention = decision.action == .keep ? "kept: " + decision.reason : "prune would delete: " + decision.reason
            rows.append([decision.fileName, name.format.rawValue, BackupFiles.humanSize(BackupFiles.size(path + "/" + decision.fileName)), state, retention])
        }
        context.console.print("Backups in \(path)")
        Self.printTable(rows, context: context)
        let others = plan.decisions.filter { $0.action == .ignore }
        if !others.isEmpty {
            context.console.print("Other files (never touched): " + others.map(\.fileName).joined(separator: ", "))
        }
        for note in plan.notes { context.console.print(note) }
    }

    func prune(policy: RetentionPolicy, dryRun: Bool, yes: Bool, context: CommandContext) throws {
        let plan = policy.plan(try entries(), now: BackupTimestamp.now())
        let deletions = plan.deletions
        var rows: [[String]] = [["Backup", "Action", "Why"]]
        for decision in plan.decisions where decision.action != .ignore {
            rows.append([decision.fileName, decision.action == .keep ? "keep" : (dryRun ? "would delete" : "delete"), decision.reason])
        }
        // The text of the question below, not a result: printed as plain lines (a pager at a
        // terminal would stand between the user and the question).
        Self.printQuestionText(rows, context: context)
        for note in plan.notes { context.console.print(note) }
        let ignored = plan.decisions.filter { $0.action == .ignore }.count
        if ignored > 0 { context.console.print("\(ignored) other file\(ignored == 1 ? "" : "s") not touched (not backup names)") }
        guard !deletions.isEmpty else {
            context.console.print("prune: nothing to delete")
            return
        }
        if dryRun {
            context.console.print("prune --dry-run: \(deletions.count) backup\(deletions.count == 1 ? "" : "s") would be deleted")
            return
        }
        guard try context.confirm("Delete \(deletions.count) backup\(deletions.count == 1 ? "" : "s") listed above from \(path)?", assumeYes: yes) else {
            context.console.print("prune: nothing deleted")
            return
        }
        var deleted = 0
        for decision in deletions {
            let file = path + "/" + decision.fileName
            do {
                try BackupFiles.remove(file)
                for companion in [".manifest", ".globals.sql"] where FileManager.default.fileExists(atPath: file + companion) {
                    try BackupFiles.remove(file + companion)
                }
                deleted += 1
            } catch {
                context.console.printError("prune: cannot delete \(file): \(error.localizedDescription)")
            }
        }
        context.console.print("prune: deleted \(deleted) backup\(deleted == 1 ? "" : "s")")
    }

    /// A table in the user's format, as a query result prints (first row is the header).
    static func printTable(_ rows: [[String]], context: CommandContext) {
        guard let header = rows.first else { return }
        context.printTable(columns: header, rows: rows.dropFirst().map { $0.map { Optional($0) } })
    }

    /// Columns separated by two spaces, the header underlined (first row is the header).
    static func printQuestionText(_ rows: [[String]], context: CommandContext) {
        guard let header = rows.first else { return }
        var widths = header.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() where index < widths.count - 1 { widths[index] = max(widths[index], cell.count) } }
        for (number, row) in rows.enumerated() {
            let line = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
            context.console.print(line)
            if number == 0 {
                context.console.print(widths.enumerated().map { index, width in
                    String(repeating: "-", count: index == widths.count - 1 ? max(width, 6) : width)
                }.joined(separator: "  "))
            }
        }
    }
}
