import Foundation

/// The folders plugins and check packs are loaded from, in order, each already checked by
/// `PluginTrust` (a folder others could write to is never on it).
public struct PluginSearchPath: Sendable, Equatable {
    /// The folders, in the order they are searched.
    public var directories: [String]

    /// A search path of `directories`, already checked for trust (owner and permissions).
    public init(directories: [String]) { self.directories = directories }

    /// No folders: `--no-plugins`, or nothing configured.
    public static let empty = PluginSearchPath(directories: [])

    /// The regular files directly in the folders whose names start with `prefix` and end in
    /// `suffix`, sorted by name within each folder, as full paths. Files that fail `PluginTrust`
    /// are left out and reported through `refused` (only those that match: a plugin kind never
    /// warns about another kind's files).
    public func files(
        startingWith prefix: String = "", endingIn suffix: String = "", refused: (String, String) -> Void = { _, _ in }
    ) -> [String] {
        var found: [String] = []
        for directory in directories {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for name in names.sorted() where !name.hasPrefix(".") && name.hasPrefix(prefix) && name.hasSuffix(suffix) {
                let path = directory + "/" + name
                switch PluginTrust.check(path: path, expectDirectory: false) {
                case .trusted: found.append(path)
                case .notFound: continue
                case .refused(let reason): refused(path, reason)
                }
            }
        }
        return found
    }
}

/// The ssh rule for files that become code or SQL run in the user's session: refused when another
/// user owns them or could change them.
package enum PluginTrust {
    /// What ``PluginTrust/check(path:expectDirectory:)`` decided.
    package enum Verdict: Equatable, Sendable {
        /// Safe to load.
        case trusted
        /// Nothing there (or not a regular file, where a file was expected): nothing to load.
        case notFound
        /// Why, in words, with the command that fixes it.
        case refused(String)
    }

    /// Checks `path` (following a symbolic link to what it names): it must be owned by the user
    /// running curate (or root) and not writable by group or others.
    package static func check(path: String, expectDirectory: Bool) -> Verdict {
        var info = stat()
        guard stat(path, &info) == 0 else { return .notFound }
        let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        if expectDirectory && !isDirectory { return .refused("it is not a folder") }
        if !expectDirectory && (info.st_mode & S_IFMT) != S_IFREG { return .notFound }
        let owner = info.st_uid
        if owner != geteuid() && owner != 0 {
            return .refused("it is owned by another user (uid \(owner)); only your own files or root's are loaded")
        }
        let loose = info.st_mode & (S_IWGRP | S_IWOTH)
        if loose != 0 {
            let mode = String(info.st_mode & 0o7777, radix: 8)
            let who = (info.st_mode & S_IWOTH) != 0 ? "everyone" : "its group"
            return .refused("it is writable by \(who) (mode \(mode)); run: chmod go-w \(path)")
        }
        return .trusted
    }
}
