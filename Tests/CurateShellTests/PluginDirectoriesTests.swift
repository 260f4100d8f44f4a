import CurateKit
import Foundation
import Testing
@testable import CurateShell

/// Plugin folders are code and SQL that run in the user's session: loaded only when nobody else
/// could have put something there (the ssh rule for key files).
@Suite("Plugin folders")
struct PluginDirectoriesTests {
    /// A fresh folder under /tmp with `mode`, removed afterwards.
    private func withFolder(mode: mode_t, _ body: (String) throws -> Void) throws {
        let path = NSTemporaryDirectory() + "curate-plugins-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(chmod(path, mode) == 0)
        try body(path)
    }

    @Test("a folder only its owner can write is on the search path, in the order given")
    func ownFolderTrusted() throws {
        try withFolder(mode: 0o755) { first in
            try withFolder(mode: 0o700) { second in
                let resolution = PluginDirectories.resolve(
                    options: [second], noPlugins: false, environment: ["CURATE_PLUGIN_PATH": first]
                )
                #expect(resolution.warnings.isEmpty)
                #expect(resolution.searchPath.directories == [first, second])
            }
        }
    }

    @Test("a group- or world-writable folder is refused with a warning that says how to fix it")
    func looseFolderRefused() throws {
        for mode: mode_t in [0o775, 0o777, 0o757] {
            try withFolder(mode: mode) { path in
                let resolution = PluginDirectories.resolve(options: [path], noPlugins: false, environment: [:])
                #expect(resolution.searchPath.directories.isEmpty)
                #expect(resolution.warnings.count == 1)
                #expect(resolution.warnings.first?.contains("refused: it is writable by") == true)
                #expect(resolution.warnings.first?.contains("chmod go-w \(path)") == true)
            }
        }
    }

    @Test("a folder owned by another user is refused", .enabled(if: geteuid() == 0, "only root can give a folder to another user"))
    func foreignFolderRefused() throws {
        let other = try #require(getpwnam("postgres")?.pointee.pw_uid ?? getpwnam("nobody")?.pointee.pw_uid)
        try withFolder(mode: 0o755) { path in
            #expect(chown(path, other, gid_t(UInt32.max)) == 0)
            let resolution = PluginDirectories.resolve(options: [path], noPlugins: false, environment: [:])
            #expect(resolution.searchPath.directories.isEmpty)
            #expect(resolution.warnings.first?.contains("owned by another user") == true)
        }
    }

    @Test("a loose file inside a trusted folder is left out and reported; its neighbours load")
    func looseFileRefused() throws {
        try withFolder(mode: 0o755) { path in
            #expect(FileManager.default.createFile(atPath: path + "/good.pack.sql", contents: Data()))
            #expect(FileManager.default.createFile(atPath: path + "/loose.pack.sql", contents: Data()))
            #expect(chmod(path + "/good.pack.sql", 0o644) == 0)
            #expect(chmod(path + "/loose.pack.sql", 0o666) == 0)
            var refused: [String] = []
            let files = PluginSearchPath(directories: [path]).files(endingIn: ".pack.sql") { file, _ in refused.append(file) }
            #expect(files == [path + "/good.pack.sql"])
            #expect(refused == [path + "/loose.pack.sql"])
        }
    }

    @Test("a named folder that does not exist is reported; the configuration folder may be missing silently")
    func missingFolders() {
        let resolution = PluginDirectories.resolve(
            options: ["/nonexistent/curate-plugins"], noPlugins: false, environment: ["HOME": "/nonexistent-home"]
        )
        #expect(resolution.searchPath.directories.isEmpty)
        #expect(resolution.warnings == ["plugin folder /nonexistent/curate-plugins does not exist; skipped"])
    }

    @Test("--no-plugins: no folder at all, not even the configuration folder")
    func noPlugins() throws {
        try withFolder(mode: 0o755) { path in
            let resolution = PluginDirectories.resolve(options: [path], noPlugins: true, environment: ["CURATE_PLUGIN_PATH": path])
            #expect(resolution.searchPath.directories.isEmpty)
            #expect(resolution.warnings.isEmpty)
        }
    }

    @Test("the configuration folder follows XDG_CONFIG_HOME, else HOME")
    func configurationFolder() {
        #expect(PluginDirectories.configurationFolder(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/curate/plugins")
        #expect(PluginDirectories.configurationFolder(environment: ["HOME": "/h"]) == "/h/.config/curate/plugins")
    }
}
