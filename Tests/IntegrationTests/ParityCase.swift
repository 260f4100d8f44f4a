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

    /// `Parity/KNOWN-DIFFERENCES`: `case-name: cause` a line (`#` comments). The measured state of
    /// psql parity: a case listed here differs from psql today.
    static func knownDifferences() -> [String: String] {
        guard let text = try? String(contentsOf: knownDifferencesFile, encoding: .utf8) else { return [:] }
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
