import CurateTestSupport
import Foundation

/// One differential case of `Parity/`: a script and/or the arguments and standard input to run
/// through both psql 15 and curate.
///
/// - `NAME.args`: the arguments after the connection options, one per line (taken verbatim,
///   spaces included). Without it: `-X -v ON_ERROR_STOP=0 -f NAME.sql` (ON_ERROR_STOP=0 because
///   curate's default is to stop at the first error, a documented safety decision).
/// - `NAME.sql`: the script, placed in the run's working folder as `NAME.sql`.
/// - `NAME.stdin`: fed to standard input (without it, standard input is /dev/null).
/// - `files/`: helper files (included scripts, data) copied into every run's working folder, so
///   both programs see the same relative paths.
struct ParityCase: Sendable, CustomStringConvertible {
    let name: String
    let arguments: [String]
    let script: Data?
    let stdin: Data?

    var description: String { name }

    static let folder = CurateBinary.packageRoot.appendingPathComponent("Tests/IntegrationTests/Parity")
    static let filesFolder = folder.appendingPathComponent("files")
    static let knownDifferencesFile = folder.appendingPathComponent("KNOWN-DIFFERENCES")

    static let defaultArguments = ["-X", "-v", "ON_ERROR_STOP=0"]

    /// Every case of the folder (a name with a `.sql` or an `.args` file), sorted.
    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let names = files.compactMap { file -> String? in
            if file.hasSuffix(".sql") { return String(file.dropLast(4)) }
            if file.hasSuffix(".args") { return String(file.dropLast(5)) }
            return nil
        }
        return Set(names).sorted()
    }

    static func load(_ name: String) throws -> ParityCase {
        func read(_ suffix: String) -> Data? {
            try? Data(contentsOf: folder.appendingPathComponent(name + suffix))
        }
        let script = read(".sql")
        let arguments: [String]
        if let args = read(".args") {
            var lines = String(decoding: args, as: UTF8.self).components(separatedBy: "\n")
            if lines.last == "" { lines.removeLast() }
            arguments = lines
        } else {
            arguments = defaultArguments + ["-f", name + ".sql"]
        }
        return ParityCase(name: name, arguments: arguments, script: script, stdin: read(".stdin"))
    }

    /// A case of describe commands (or their queries, `-E`): psql builds describe output for the
    /// server it is connected to, so the reference is the psql of the server's version; every
    /// other case is compared with psql 15, whose behaviour curate follows.
    var showsDescribeOutput: Bool {
        name.hasPrefix("describe-") || Self.describeCases.contains(name)
    }

    /// Cases not named describe-* that show describe output: `-E` and `\lo_list`.
    static let describeCases: Set<String> = ["options-E", "large-objects"]

    /// `Parity/KNOWN-DIFFERENCES`, and `Parity/KNOWN-DIFFERENCES-N` for a server of major version
    /// N: `case-name: cause` a line (`#` comments). The measured state of psql parity: a case
    /// listed here differs from psql today.
    static func knownDifferences() -> [String: String] {
        var result = knownDifferences(in: knownDifferencesFile)
        let versionFile = folder.appendingPathComponent("KNOWN-DIFFERENCES-\(TestServer.serverMajorVersion)")
        result.merge(knownDifferences(in: versionFile)) { _, new in new }
        return result
    }

    /// Every `KNOWN-DIFFERENCES*` file's cases (for the check that each names a case).
    static func allKnownDifferences() -> [String: String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var result: [String: String] = [:]
        for file in files where file.hasPrefix("KNOWN-DIFFERENCES") {
            result.merge(knownDifferences(in: folder.appendingPathComponent(file))) { old, _ in old }
        }
        return result
    }

    private static func knownDifferences(in file: URL) -> [String: String] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [:] }
        var result: [String: String] = [:]
        for line in text.components(separatedBy: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), let colon = trimmed.firstIndex(of: ":") else { continue }
            let name = trimmed[..<colon].trimmingCharacters(in: .whitespaces)
            result[name] = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return result
    }
}
