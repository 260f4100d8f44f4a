import Foundation

/// Where the built `curate` executable is.
public enum CurateBinary {
    /// In order: the CURATE_BIN environment variable; `curate` next to the
    /// running test bundle (the products folder of this build); the package's
    /// `.build/debug/curate`, found from this source file's path.
    public static var url: URL {
        let fm = FileManager.default
        if let bin = ProcessInfo.processInfo.environment["CURATE_BIN"], !bin.isEmpty {
            return URL(fileURLWithPath: bin)
        }
        for dir in productDirectories() {
            let candidate = dir.appendingPathComponent("curate")
            if fm.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return packageRoot.appendingPathComponent(".build/debug/curate")
    }

    public static var path: String { url.path }

    /// The package's root folder (three levels above this file).
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // CurateTestSupport
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
    }

    /// Folders the test product may live in: on Linux the test runner is an
    /// executable (`<products>/curatePackageTests.xctest`), on macOS a bundle.
    static func productDirectories() -> [URL] {
        var dirs: [URL] = []
        #if os(Linux)
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            dirs.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        #endif
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            dirs.append(bundle.bundleURL.deletingLastPathComponent())
        }
        if let exe = Bundle.main.executableURL {
            dirs.append(exe.deletingLastPathComponent())
        }
        return dirs
    }
}
