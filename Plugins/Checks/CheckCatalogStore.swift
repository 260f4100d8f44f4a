import CurateKit
import Foundation

/// What loading the pack files gave: the packs that loaded and a warning for everything refused.
public struct PackLoadReport: Sendable {
    public var packs: [PackFile]
    /// One message per problem, each naming its file (and line, where there is one).
    public var warnings: [String]
    /// The number of pack files found that were skipped as a whole (errors, a clashing name,
    /// refused by the trust rule).
    public var skippedFiles: Int
    /// Checks left out of packs that loaded (their names were taken).
    public var refusedChecks: Int
}

/// Reads the check pack files (`*.pack.sql`) of the plugin folders.
public enum CheckPackLoader {
    /// Loads every pack file of `searchPath`, in folder order, then by name. A file with errors is
    /// skipped with one warning per error (`FILE:LINE: message`); a pack or check whose name is
    /// already taken (by a built-in or an earlier pack) is refused with a warning naming both; the
    /// rest loads.
    ///
    /// `previous` are the packs loaded before (for `\check --reload`): a file that now fails to load
    /// keeps its previous version active, and the warning says so, so a typo in an edit does not
    /// make the checks disappear from the running session.
    public static func load(from searchPath: PluginSearchPath, builtIn: CheckCatalog = .builtIn, previous: [PackFile] = []) -> PackLoadReport {
        var warnings: [String] = []
        var skipped = 0
        var refusedChecks = 0
        var packs: [PackFile] = []
        var seenPaths = Set<String>()
        let files = searchPath.files(endingIn: PackFile.suffix) { path, reason in
            warnings.append("check pack \(path) refused: \(reason)")
            skipped += 1
        }
        for path in files {
            let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            guard seenPaths.insert(real).inserted else { continue }
            var file: PackFile
            do {
                file = try PackFile.load(path: path)
            } catch {
                warnings += error.errors.map(\.description)
                let count = "\(error.errors.count) error\(error.errors.count == 1 ? "" : "s")"
                skipped += 1
                guard let old = previous.first(where: { $0.path == path }) else {
                    warnings.append("check pack \(path) skipped: \(count); the other packs are loaded")
                    continue
                }
                warnings.append("check pack \(path) not reloaded: \(count); the version loaded before stays active"
                                + " (pack \(old.pack.name): \(old.pack.checks.map(\.name).joined(separator: ", "))) until the file loads again")
                file = old
            }
            // Names \check takes: check names and pack names, one namespace.
            var taken: [String: String] = [:]
            for pack in builtIn.packs {
                taken[pack.name] = "the built-in pack \(pack.name)"
                for check in pack.checks { taken[check.name] = "the built-in check \(check.name) (pack \(pack.name))" }
            }
            for other in packs {
                taken[other.pack.name] = "pack \(other.pack.name) (\(other.path):\(other.line))"
                for check in other.pack.checks {
                    taken[check.name] = "check \(check.name) of pack \(other.pack.name) (\(other.path):\(other.checkLines[check.name] ?? 1))"
                }
            }
            if let holder = taken[file.pack.name] {
                warnings.append("\(file.path):\(file.line): pack \(file.pack.name) refused: the name is already taken by \(holder); rename one of them")
                skipped += 1
                continue
            }
            var refused = Set<String>()
            for check in file.pack.checks {
                let line = file.checkLines[check.name] ?? 1
                if let holder = taken[check.name] {
                    warnings.append("\(file.path):\(line): check \(check.name) of pack \(file.pack.name) refused: the name is already taken by \(holder); rename one of them")
                    refused.insert(check.name)
                }
            }
            if !refused.isEmpty {
                refusedChecks += refused.count
                file.pack.checks.removeAll { refused.contains($0.name) }
                file.pack.fixes.removeAll { refused.contains($0.check) }
                if file.pack.checks.isEmpty {
                    warnings.append("check pack \(file.path) skipped: none of its checks could be loaded")
                    skipped += 1
                    continue
                }
            }
            packs.append(file)
        }
        return PackLoadReport(packs: packs, warnings: warnings, skippedFiles: skipped, refusedChecks: refusedChecks)
    }
}

/// The checks curate knows right now: the built-in packs plus the pack files loaded at startup
/// (or by `\check --reload`). Held by the check plugin instance and shared with the fix plugin
/// (`FixPlugin(catalog:)`); commands reach it through their context's plugin
/// (``CheckCatalogHolder``), not through a global, so a reload is seen by both at once.
public final class CheckCatalogStore {
    private let builtIn: CheckCatalog
    /// The pack files loaded, in load order.
    public private(set) var packFiles: [PackFile] = []
    /// Built-in packs first, then the loaded pack files in load order.
    public private(set) var catalog: CheckCatalog
    /// The findings of the last `\check --on standby` run of each check, for `\fix --from-standby`.
    public let standbyFindings = StandbyFindings()

    public init(builtIn: CheckCatalog = .builtIn) {
        self.builtIn = builtIn
        self.catalog = builtIn
    }

    /// Replaces the loaded packs with those of the files in `searchPath` (none for an empty one).
    @discardableResult
    public func reload(from searchPath: PluginSearchPath) -> PackLoadReport {
        let report = CheckPackLoader.load(from: searchPath, builtIn: builtIn, previous: packFiles)
        replace(with: report.packs)
        return report
    }

    /// Replaces the loaded packs.
    public func replace(with packs: [PackFile]) {
        packFiles = packs
        catalog = CheckCatalog(packs: builtIn.packs + packs.map(\.pack))
    }

    /// What `\plugins` lists: one entry per pack file.
    public var descriptions: [PluginDescription] {
        packFiles.map { file in
            PluginDescription(name: file.pack.name, kind: .pack, origin: file.path, version: file.version,
                              provides: file.pack.checks.map(\.name))
        }
    }
}

/// A plugin that holds a catalog of checks (the check and fix plugins).
public protocol CheckCatalogHolder: CuratePlugin {
    var catalog: CheckCatalogStore { get }
}

extension CheckCatalogStore {
    /// The catalog of the running command's plugin; the built-in packs alone when the command
    /// runs without one (a context made by hand).
    public static func catalog(of plugin: (any CuratePlugin)?) -> CheckCatalog {
        (plugin as? any CheckCatalogHolder)?.catalog.catalog ?? .builtIn
    }
}
