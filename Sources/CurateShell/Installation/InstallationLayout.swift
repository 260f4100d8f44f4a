import Foundation

/// Where an installed curate keeps its own files, found from the executable's own location:
/// `<prefix>/bin/curate` has them under `<prefix>/share/curate` and its guides under
/// `<prefix>/share/doc/curate`, so one tree works from /usr, /usr/local, /opt/… or an unpacked
/// tarball. A curate run from a source tree's build folder has no such folder: nil.
struct InstallationLayout: Equatable, Sendable {
    /// The folder that holds `bin/curate`.
    let prefix: String

    /// `<prefix>/share/curate`: curate's own data.
    var dataFolder: String { prefix + "/share/curate" }
    /// `<prefix>/share/curate/plugins`: plugins and check packs installed with curate, for every
    /// user of this installation (searched before the user's own folders).
    var pluginFolder: String { dataFolder + "/plugins" }
    /// `<prefix>/share/doc/curate`: the guides.
    var documentationFolder: String { prefix + "/share/doc/curate" }

    /// The layout around the executable at `executablePath` (symbolic links resolved), when it
    /// sits in a `bin` folder beside a `share/curate` folder.
    static func around(executablePath: String) -> InstallationLayout? {
        let resolved = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
        let bin = resolved.deletingLastPathComponent()
        guard bin.lastPathComponent == "bin" else { return nil }
        let prefix = bin.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: prefix + "/share/curate", isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        return InstallationLayout(prefix: prefix)
    }

    /// The running curate's installation (nil when it runs from a build folder).
    static let current: InstallationLayout? = {
        #if os(Linux)
        // The kernel's answer, whatever argv[0] and PATH said.
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return around(executablePath: executable)
        }
        #endif
        return Bundle.main.executablePath.flatMap(around(executablePath:))
    }()

    /// The user guide to point at: the installed one, else the source tree's name for it.
    static var userGuide: String {
        current.map { $0.documentationFolder + "/user-guide.md" } ?? "docs/user-guide.md"
    }
}
