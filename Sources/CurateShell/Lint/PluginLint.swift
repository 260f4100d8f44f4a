import CurateChecks
import CurateKit
import Foundation

/// `curate --lint PATH...`: checks check packs and external plugins as curate would load them,
/// without a server, for a plugin author's CI: a pack's syntax, keys, parameters, placeholders and
/// names; a plugin's file name, executable bit and hello (protocol, capabilities, version). With a
/// database (`-d`), every query of the packs is also prepared by the server (never run). Problems
/// are printed `FILE:LINE: error: message`; the exit status is 0 when there is none, 1 otherwise
/// (2 when the server cannot be reached).
struct PluginLint {
    /// Files and folders to check (a folder: its `*.pack.sql` and `curate-*` files).
    let paths: [String]
    /// The server to prepare the queries on, or nil.
    let connect: (() throws -> Session)?
    let console: Console

    private(set) var problems = 0
    private(set) var warnings = 0
    private var packsChecked = 0
    private var pluginsChecked = 0

    init(paths: [String], connect: (() throws -> Session)?, console: Console) {
        self.paths = paths
        self.connect = connect
        self.console = console
    }

    mutating func run() -> Int32 {
        var packs: [PackFile] = []
        var plugins: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                problem(path, 0, "no such file or folder")
                continue
            }
            let files: [String]
            if isFolder.boolValue {
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
                files = names.filter { !$0.hasPrefix(".") && ($0.hasSuffix(PackFile.suffix) || $0.hasPrefix("curate-")) }
                    .map { (path.hasSuffix("/") ? path : path + "/") + $0 }
                if files.isEmpty { warning(path, 0, "no pack file (NAME.pack.sql) and no plugin (curate-NAME) in this folder") }
            } else {
                files = [path]
            }
            for file in files {
                let name = String(file.split(separator: "/").last ?? "")
                if name.hasSuffix(PackFile.suffix) {
                    if let pack = lintPack(file, earlier: packs) { packs.append(pack) }
                } else if name.hasPrefix("curate-") {
                    if lintPlugin(file, name: name) { plugins.append(file) }
                } else {
                    problem(file, 0, "not a check pack (NAME.pack.sql) nor an external plugin (curate-NAME): curate would not load it")
                }
            }
        }
        if let connect, !packs.isEmpty {
            let session: Session
            do {
                session = try connect()
            } catch {
                console.printError("curate: error: \(error)")
                return 2
            }
            for pack in packs { prepareQueries(of: pack, on: session) }
        }
        let summary = "curate --lint: \(packsChecked) pack file\(packsChecked == 1 ? "" : "s"), \(pluginsChecked) plugin\(pluginsChecked == 1 ? "" : "s") checked"
            + (connect == nil ? " (without a server: -d DBNAME also prepares every query)" : "")
            + ": \(problems == 0 ? "no problems" : "\(problems) problem\(problems == 1 ? "" : "s")")"
            + (warnings == 0 ? "" : ", \(warnings) warning\(warnings == 1 ? "" : "s")")
        console.print(summary)
        console.flush()
        return problems == 0 ? 0 : 1
    }

    private mutating func problem(_ path: String, _ line: Int, _ message: String) {
        problems += 1
        console.printError(line > 0 ? "\(path):\(line): error: \(message)" : "\(path): error: \(message)")
    }

    private mutating func warning(_ path: String, _ line: Int, _ message: String) {
        warnings += 1
        console.printError(line > 0 ? "\(path):\(line): warning: \(message)" : "\(path): warning: \(message)")
    }

    /// The trust rule curate applies when it loads the file (a warning here: CI checkouts differ
    /// from the folder the file is installed in).
    private mutating func lintTrust(_ path: String) {
        if case .refused(let reason) = PluginTrust.check(path: path, expectDirectory: false) {
            warning(path, 0, "curate would refuse this file where it is now: \(reason)")
        }
    }

    // MARK: Packs

    private mutating func lintPack(_ path: String, earlier: [PackFile]) -> PackFile? {
        packsChecked += 1
        lintTrust(path)
        let file: PackFile
        do {
            file = try PackFile.load(path: path)
        } catch {
            for error in error.errors { problem(error.path, error.line, error.message) }
            return nil
        }
        // The names \check takes: built-in packs and checks, and the packs linted before this one.
        var taken: [String: String] = [:]
        for pack in CheckCatalog.builtIn.packs {
            taken[pack.name] = "the built-in pack \(pack.name)"
            for check in pack.checks { taken[check.name] = "the built-in check \(check.name) (pack \(pack.name))" }
        }
        for other in earlier {
            taken[other.pack.name] = "pack \(other.pack.name) (\(other.path):\(other.line))"
            for check in other.pack.checks { taken[check.name] = "check \(check.name) of \(other.path):\(other.checkLines[check.name] ?? 1)" }
        }
        var clean = true
        if let holder = taken[file.pack.name] {
            problem(path, file.line, "pack name \(file.pack.name) is already taken by \(holder); rename the pack (-- pack: NAME)")
            clean = false
        }
        for check in file.pack.checks {
            if let holder = taken[check.name] {
                problem(path, file.checkLines[check.name] ?? 1, "check name \(check.name) is already taken by \(holder); rename the check")
                clean = false
            }
        }
        return clean ? file : nil
    }

    /// Each query of the pack prepared by the server (parsed, names and types resolved, not run).
    private mutating func prepareQueries(of file: PackFile, on session: Session) {
        for check in file.pack.checks {
            let line = file.checkLines[check.name] ?? 1
            if case .sql(let sql) = check.query { prepare(sql, on: session, file: file, line: line, what: "the query of check \(check.name)") }
            guard let fix = file.pack.fixes.first(where: { $0.check == check.name }) else { continue }
            let fixLine = file.fixLines[check.name] ?? line
            switch fix.kind {
            case .rows(let rowFix):
                let lock = PackPlaceholder.substitutingWhere(in: rowFix.lock) { _ in "true" }
                prepare(lock, on: session, file: file, line: fixLine, what: "the -- lock: query of fix \(check.name)")
                prepare(rowFix.target, on: session, file: file, line: fixLine, what: "the -- target: query of fix \(check.name)")
            case .statements(let statementFix):
                prepare(statementFix.generator, on: session, file: file, line: fixLine, what: "the -- generate: query of fix \(check.name)")
            case .none:
                break
            }
        }
    }

    private mutating func prepare(_ sql: String, on session: Session, file: PackFile, line: Int, what: String) {
        do {
            _ = try session.describeResult(of: sql)
        } catch let error as ServerError {
            problem(file.path, line, "the server refuses \(what): \(error.message)" + (error.hint.map { " (\($0))" } ?? ""))
        } catch {
            problem(file.path, line, "\(what) could not be prepared: \(error)")
        }
    }

    // MARK: External plugins

    /// Returns true when the plugin would load and describe itself.
    private mutating func lintPlugin(_ path: String, name file: String) -> Bool {
        pluginsChecked += 1
        lintTrust(path)
        let name = String(file.dropFirst("curate-".count))
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            let suggestion = name.split(separator: ".").first.map { "; rename it curate-\($0)" } ?? ""
            problem(path, 0, "\"\(name)\" is not a command name: after curate- only letters, digits, - and _ may follow, no dot\(suggestion)")
            return false
        }
        guard access(path, X_OK) == 0 else {
            problem(path, 0, "it is not executable; run: chmod u+x \(path)")
            return false
        }
        let described = ExternalPlugin(name: name, path: path).describe(timeout: ExternalPlugin.timeout(variables: nil) ?? 30)
        if let reason = described.problem {
            problem(path, 0, "\\\(name) could not describe itself: \(reason) (run by hand: CURATE_PLUGIN_MODE=describe \(path) </dev/null)")
            return false
        }
        if !described.hasVersion {
            warning(path, 0, "its hello gives no \"version\": \\plugins shows ? (add \"version\": \"1.0.0\")")
        }
        if described.summary == nil {
            warning(path, 0, "its hello gives no \"summary\": \\\(name) --help has nothing to say")
        }
        return true
    }
}
