import Foundation
@testable import CurateShell
import Testing

/// curate finds its own files from its executable: `<prefix>/bin/curate` beside `<prefix>/share/curate`.
@Suite("Installation layout")
struct InstallationLayoutTests {
    /// A tree `prefix/bin/curate` (an empty file stands for the program), with or without share/curate.
    private func tree(withShare: Bool) throws -> String {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("curate-layout-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: prefix + "/bin", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: prefix + "/bin/curate", contents: Data())
        if withShare { try FileManager.default.createDirectory(atPath: prefix + "/share/curate/plugins", withIntermediateDirectories: true) }
        return prefix
    }

    @Test("an installed tree is found under any prefix, through a symbolic link too")
    func installedTree() throws {
        let prefix = try tree(withShare: true)
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let layout = try #require(InstallationLayout.around(executablePath: prefix + "/bin/curate"))
        #expect(URL(fileURLWithPath: layout.prefix).resolvingSymlinksInPath() == URL(fileURLWithPath: prefix).resolvingSymlinksInPath())
        #expect(layout.pluginFolder == layout.prefix + "/share/curate/plugins")
        #expect(layout.documentationFolder == layout.prefix + "/share/doc/curate")

        // /usr/local/bin/curate -> /opt/curate/bin/curate: the files are where the program is.
        let links = try tree(withShare: false)
        defer { try? FileManager.default.removeItem(atPath: links) }
        try FileManager.default.removeItem(atPath: links + "/bin/curate")
        try FileManager.default.createSymbolicLink(atPath: links + "/bin/curate", withDestinationPath: prefix + "/bin/curate")
        #expect(InstallationLayout.around(executablePath: links + "/bin/curate")?.prefix == layout.prefix)
    }

    @Test("a build folder (no share/curate beside bin) is no installation")
    func buildFolder() throws {
        let prefix = try tree(withShare: false)
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        #expect(InstallationLayout.around(executablePath: prefix + "/bin/curate") == nil)
        #expect(InstallationLayout.around(executablePath: "/tmp/curate-build/debug/curate") == nil)
        // The tests' own curate runs from the build folder.
        #expect(InstallationLayout.current == nil)
    }

    @Test("the installation's plugin folder is searched first, and not at all with --no-plugins")
    func pluginFolderFirst() throws {
        let prefix = try tree(withShare: true)
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let layout = try #require(InstallationLayout.around(executablePath: prefix + "/bin/curate"))
        let home = prefix + "/home"
        try FileManager.default.createDirectory(atPath: home + "/.config/curate/plugins", withIntermediateDirectories: true)
        let resolution = PluginDirectories.resolve(options: [], noPlugins: false, environment: ["HOME": home], installation: layout)
        #expect(resolution.searchPath.directories.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath() }
                == URL(fileURLWithPath: layout.pluginFolder).resolvingSymlinksInPath())
        #expect(resolution.searchPath.directories.count == 2 && resolution.warnings.isEmpty)
        let none = PluginDirectories.resolve(options: [], noPlugins: true, environment: ["HOME": home], installation: layout)
        #expect(none.searchPath.directories.isEmpty)
    }
}
