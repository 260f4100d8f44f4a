import CurateTestSupport
import Foundation
import Testing

/// curate as a database host gets it: scripts/package's .deb and tarball, unpacked into a
/// temporary root and run with a clean environment (`env -i PATH=/usr/bin:/bin HOME=…` plus the
/// server's PG* variables) from a folder outside the checkout, with no Swift toolchain in reach.
///
/// scripts/test runs scripts/package once before the suite and exports the two paths it printed
/// (CURATE_PACKAGE_TARBALL, CURATE_PACKAGE_DEB); without them these tests run scripts/package
/// themselves (a release build).
@Suite("Installed package", .serialized)
struct PackageInstallTests {
    struct Packages: Sendable {
        var tarball: String
        var deb: String
    }

    /// The package files, built once per test run.
    static let packages: Result<Packages, PackageTestError> = {
        let environment = ProcessInfo.processInfo.environment
        if let tarball = environment["CURATE_PACKAGE_TARBALL"], let deb = environment["CURATE_PACKAGE_DEB"], !tarball.isEmpty, !deb.isEmpty {
            return .success(Packages(tarball: tarball, deb: deb))
        }
        let script = CurateBinary.packageRoot.appendingPathComponent("scripts/package").path
        let run = ExternalProgram.run("/bin/bash", [script], timeout: 3 * 3600)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        guard run.status == 0, lines.count >= 2 else { return .failure(PackageTestError("scripts/package failed: \(run)")) }
        // Its contract: the last line is the .deb, the line before it the tarball.
        return .success(Packages(tarball: lines[lines.count - 2], deb: lines[lines.count - 1]))
    }()

    struct PackageTestError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static var version: String {
        get throws {
            try String(contentsOf: CurateBinary.packageRoot.appendingPathComponent("VERSION"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// A temporary folder outside the checkout, removed by the caller.
    static func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("curate-package-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs a program of the installed tree with nothing of the test runner's environment:
    /// `env -C folder -i PATH=/usr/bin:/bin HOME=home [extra] program arguments`.
    static func clean(_ program: String, _ arguments: [String], in folder: String, home: String, extra: [String: String] = [:]) -> ExternalProgram.Output {
        let assignments = ["PATH=/usr/bin:/bin", "HOME=\(home)"] + extra.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return ExternalProgram.run("/usr/bin/env", ["-C", folder, "-i"] + assignments + [program] + arguments, timeout: 300)
    }

    @Test("the .deb, unpacked with dpkg-deb -x, runs from outside the checkout with a clean environment")
    func debianPackage() throws {
        let packages = try Self.packages.get()
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let unpack = ExternalProgram.run("/usr/bin/dpkg-deb", ["-x", packages.deb, folder + "/root"])
        try #require(unpack.status == 0, "\(unpack)")
        try checkInstalledTree(prefix: folder + "/root/usr", scratch: folder)
    }

    @Test("the tarball, unpacked, runs from outside the checkout with a clean environment")
    func tarball() throws {
        let packages = try Self.packages.get()
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/unpacked", withIntermediateDirectories: true)
        let unpack = ExternalProgram.run("/bin/tar", ["-xzf", packages.tarball, "-C", folder + "/unpacked"])
        try #require(unpack.status == 0, "\(unpack)")
        let trees = try FileManager.default.contentsOfDirectory(atPath: folder + "/unpacked")
        #expect(trees == ["curate-\(try Self.version)-linux-\(Self.machine)"])
        try checkInstalledTree(prefix: folder + "/unpacked/" + (trees.first ?? ""), scratch: folder)
    }

    @Test("dpkg-deb -I shows the computed Depends, and every library curate links comes from a package in it")
    func dependencies() throws {
        let packages = try Self.packages.get()
        let info = ExternalProgram.run("/usr/bin/dpkg-deb", ["-I", packages.deb])
        try #require(info.status == 0, "\(info)")
        #expect(info.stdout.contains(" Version: \(try Self.version)\n"), "\(info)")
        let dependsLine = try #require(info.stdout.split(separator: "\n").first { $0.hasPrefix(" Depends: ") }, "\(info)")
        // "libc6 (>= 2.34), libedit2 (>= 3.1-20210522), libpq5 | foo" -> package names.
        let depends = Set(dependsLine.dropFirst(" Depends: ".count).split(whereSeparator: { $0 == "," || $0 == "|" }).compactMap {
            $0.split(separator: " ").first.map(String.init)
        })
        #expect(depends.contains("libpq5") && depends.contains("libedit2"), "\(dependsLine)")

        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let unpack = ExternalProgram.run("/usr/bin/dpkg-deb", ["-x", packages.deb, folder])
        try #require(unpack.status == 0, "\(unpack)")
        let ldd = ExternalProgram.run("/usr/bin/ldd", [folder + "/usr/bin/curate"])
        try #require(ldd.status == 0, "\(ldd)")
        // The libraries curate itself names (NEEDED) come from packages in Depends; the ones they
        // bring (libpq's libssl, libkrb5, …) from packages apt installs for those.
        let readelf = ExternalProgram.run("/usr/bin/readelf", ["-d", folder + "/usr/bin/curate"])
        let needed = Set(readelf.stdout.matches(of: /\(NEEDED\)\s+Shared library: \[([^\]]+)\]/).map { String($0.output.1) })
        #expect(needed.contains("libpq.so.5") && needed.contains("libedit.so.2"), "\(readelf)")
        let installed = Self.dependencyClosure(of: depends)
        for library in Self.libraryPaths(ldd: ldd.stdout) {
            let owner = try #require(Self.owningPackage(of: library), "no Debian package owns \(library)")
            let name = String(library.split(separator: "/").last ?? "")
            let essential = ExternalProgram.run("/usr/bin/dpkg-query", ["-W", "-f=${Essential}", owner]).stdout == "yes"
            if needed.contains(name) {
                #expect(depends.contains(owner) || essential, "curate links \(library) of \(owner), which Depends lacks: \(dependsLine)")
            } else {
                #expect(installed.contains(owner) || essential, "\(library) comes from \(owner), which nothing in Depends brings: \(dependsLine)")
            }
        }
    }

    /// The packages `packages` depend on, directly or not (as installed here), themselves included.
    static func dependencyClosure(of packages: Set<String>) -> Set<String> {
        var closure = Set<String>()
        var queue = Array(packages)
        while let package = queue.popLast() {
            guard closure.insert(package).inserted else { continue }
            let fields = ExternalProgram.run("/usr/bin/dpkg-query", ["-W", "-f=${Depends}, ${Pre-Depends}", package]).stdout
            for alternative in fields.split(whereSeparator: { $0 == "," || $0 == "|" }) {
                if let name = alternative.split(separator: " ").first.map({ String($0.split(separator: ":").first ?? "") }), !name.isEmpty {
                    queue.append(name)
                }
            }
        }
        return closure
    }

    /// What a host gets from an installed tree at `prefix`.
    func checkInstalledTree(prefix: String, scratch: String) throws {
        let curate = prefix + "/bin/curate"
        let home = scratch + "/home"
        let outside = scratch + "/elsewhere"
        for folder in [home, outside] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }

        // --version: VERSION's version, and the commit it was built from.
        let version = Self.clean(curate, ["--version"], in: outside, home: home)
        #expect(version.status == 0, "\(version)")
        #expect(version.stdout.hasPrefix("curate \(try Self.version) (commit "), "\(version)")

        // curate finds its own files from its executable, wherever the tree is.
        let guide = Self.clean(curate, ["--help=variables"], in: outside, home: home)
        #expect(guide.stderr.contains(prefix + "/share/doc/curate/user-guide.md describes them"), "\(guide)")
        #expect(FileManager.default.fileExists(atPath: prefix + "/share/doc/curate/user-guide.md"))

        // \check on a copy of the sample database reports the seeded duplicate canonical files.
        let database = try TestDatabase.create()
        defer { database.drop() }
        let check = Self.clean(curate, ["-X", "-c", "\\check fitsstorage --format json"], in: outside, home: home, extra: database.libpqEnvironment)
        #expect(check.status == 0, "\(check)")
        let document = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any]
        let checks = document?["checks"] as? [[String: Any]] ?? []
        let duplicates = checks.first { $0["check"] as? String == "duplicate-canonical" }
        let reported = Set((duplicates?["rows"] as? [[String: Any]] ?? []).compactMap { $0["file_name"] as? String })
        let seeded = Set(try database.psql("""
            SELECT DISTINCT f.name FROM file f JOIN diskfile d ON d.file_id = f.id
            WHERE d.canonical GROUP BY f.name, d.file_id HAVING count(*) > 1
            """).split(separator: "\n").map(String.init))
        #expect(!seeded.isEmpty && reported == seeded, "\(check)")

        // The Swift runtime is inside the binary.
        let ldd = ExternalProgram.run("/usr/bin/ldd", [curate])
        #expect(ldd.status == 0, "\(ldd)")
        for runtime in ["libswift", "libFoundation", "lib_Foundation", "libdispatch", "libBlocksRuntime"] {
            #expect(!ldd.stdout.contains(runtime), "\(ldd)")
        }
        #expect(ldd.stdout.contains("libpq.so.5") && ldd.stdout.contains("libedit.so"), "\(ldd)")

        // The man page renders, with every option --help lists and the generated sections.
        let manual = Self.clean("/usr/bin/man", ["-l", prefix + "/share/man/man1/curate.1"], in: outside, home: home, extra: ["MANWIDTH": "120"])
        #expect(manual.status == 0, "\(manual)")
        let help = Self.clean(curate, ["--help"], in: outside, home: home)
        let longOptions = Set(help.stdout.matches(of: /--[a-z][a-z0-9-]+/).map { String($0.output) })
        #expect(longOptions.count > 30, "\(help)")
        for option in longOptions.sorted() {
            #expect(manual.stdout.contains(option), "the man page lacks \(option)")
        }
        // curate has no subcommands (argument-parser's dump lists a help subcommand; curate's does not).
        #expect(!manual.stdout.contains("subcommand"), "\(manual)")
        for section in ["BACKSLASH COMMANDS", "ENVIRONMENT", "FILES", "EXIT STATUS", "\\check", "\\?", "CURATE_PLUGIN_PATH", "~/.curaterc"] {
            #expect(manual.stdout.contains(section), "the man page lacks \(section)")
        }

        // The completion scripts, in their folders; bash accepts its own.
        let bash = Self.clean("/bin/bash", ["-n", prefix + "/share/bash-completion/completions/curate"], in: outside, home: home)
        #expect(bash.status == 0, "\(bash)")
        for script in ["/share/zsh/vendor-completions/_curate", "/share/fish/vendor_completions.d/curate.fish", "/share/bash-completion/completions/curate"] {
            let text = (try? String(contentsOfFile: prefix + script, encoding: .utf8)) ?? ""
            #expect(text.contains("single-transaction"), "\(script)")
        }
        #expect(FileManager.default.fileExists(atPath: prefix + "/share/curate/plugins"))
    }

    static var machine: String {
        ExternalProgram.run("/usr/bin/uname", ["-m"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The libraries `ldd` resolved to files ("libpq.so.5 => /lib/…/libpq.so.5 (0x…)", and the
    /// loader's own absolute line).
    static func libraryPaths(ldd: String) -> [String] {
        ldd.split(separator: "\n").compactMap { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if let arrow = fields.firstIndex(of: "=>"), arrow + 1 < fields.count, fields[arrow + 1].hasPrefix("/") { return String(fields[arrow + 1]) }
            if let first = fields.first, first.hasPrefix("/") { return String(first) }
            return nil
        }
    }

    /// The Debian package that owns `path` (trying its /usr-merged and resolved spellings).
    static func owningPackage(of path: String) -> String? {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var candidates = [path, resolved]
        for candidate in [path, resolved] {
            if candidate.hasPrefix("/usr/") { candidates.append(String(candidate.dropFirst(4))) } else { candidates.append("/usr" + candidate) }
        }
        for candidate in candidates {
            let search = ExternalProgram.run("/usr/bin/dpkg", ["-S", candidate])
            guard search.status == 0, let line = search.stdout.split(separator: "\n").first(where: { !$0.hasPrefix("diversion ") }),
                  let colon = line.range(of: ": ") else { continue }
            // "libpq5:amd64: /usr/lib/…" -> libpq5
            return String(line[..<colon.lowerBound].split(separator: ":").first ?? "")
        }
        return nil
    }
}
