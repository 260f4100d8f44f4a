import CurateChecks
import CurateTestSupport
import Foundation
import Testing

/// `\check`, `\fix` and `\backup` print their tables through the renderer that prints query
/// results, so the user's output settings apply to them as they do to a SELECT.
@Suite("check and fix output: the user's format")
struct CheckOutputFormatTests {
    @Test("\\pset format csv: the findings of \\check print as csv, the same as the SELECT that finds them")
    func findingsFollowPsetCSV() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\pset format csv", "-c", "\\check orphan-file"])
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("orphan-file (fitsstorage, info): 2 rows") }, "\(result)")
        // The csv renderer's header and two rows, no aligned table, no footer.
        #expect(lines[header + 1].contains(","), "\(result)")
        #expect(!lines[header + 1].contains(" | "), "\(result)")
        #expect(lines.count > header + 3 && !lines[header + 3].isEmpty && lines[header + 4].isEmpty, "\(result)")
        #expect(!result.stdout.contains("(2 rows)"), "\(result)")
    }

    @Test("\\check --list and \\fix follow \\pset format unaligned and \\pset footer off, like a query")
    func listsFollowPset() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let list = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\pset format unaligned", "-c", "\\check --list"])
        #expect(list.status == 0, "\(list)")
        #expect(list.stdout.contains("\ncheck|pack|severity|fix|description\n"), "\(list)")
        #expect(list.stdout.contains("\nduplicate-canonical|fitsstorage|error|yes|"), "\(list)")
        let fixes = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\pset footer off", "-c", "\\fix"])
        #expect(fixes.status == 0, "\(fixes)")
        #expect(fixes.stdout.contains(" check "), "\(fixes)")
        #expect(!fixes.stdout.contains(" rows)"), "\(fixes)")
    }

    @Test("--csv on the command line applies to \\check's findings; --format json stays the curate-check document")
    func commandLineCSVAndJSONFormat() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let csv = CurateProcess.run(in: database, arguments: ["-X", "--csv", "-c", "\\check orphan-file"])
        #expect(csv.status == 0, "\(csv)")
        #expect(!csv.stdout.contains(" | "), "\(csv)")
        let checks = try Check.json(database, ["orphan-file"])
        #expect(Check.outcome(checks, "orphan-file")?["count"] as? Int == 2)
    }
}
