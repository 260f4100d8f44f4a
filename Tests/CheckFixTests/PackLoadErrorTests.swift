import CurateChecks
import CurateTestSupport
import Foundation
import Testing

@Suite("check packs: every load error in one round; a bad reload keeps the good version")
struct PackLoadErrorTests {
    @Test("errors of a check and of its fix are reported together, not one reload at a time")
    func checkAndFixErrorsTogether() {
        let text = PlaceholderPacks.rowFix(lock: PlaceholderPacks.misaliasedLock)
            .replacingOccurrences(of: "-- severity: warning", with: "-- severity: critical")
        let errors = Packs.errors(text, path: "/packs/aliases.pack.sql")
        #expect(errors.map(\.line) == [3, 17], "\(errors)")
        #expect(errors.first?.message == "unknown severity \"critical\" for check present-mismatch; use info, warning or error")
        #expect(errors.last?.message.hasPrefix("fix present-mismatch (-- lock:): {where f} is refused") == true)
    }

    @Test("\\check --reload of a file that no longer loads keeps its previous version active, and says so")
    func badReloadKeepsPrevious() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Packs.withFolder { folder in
            try Packs.write(Packs.simple(pack: "site", check: "site-check"), to: folder + "/site.pack.sql")
            try Packs.write(Packs.simple(pack: "site", check: "site-check").replacingOccurrences(of: "severity: info", with: "severity: loud"),
                            to: folder + "/broken.txt")
            let result = CurateProcess.run(in: database, arguments: ["-X", "--plugin-dir", folder, "-v", "ON_ERROR_STOP=0"], stdin: """
                \\check site-check
                \\! cp \(folder)/broken.txt \(folder)/site.pack.sql
                \\check --reload
                \\check site-check
                """)
            #expect(result.stderr.contains("\(folder)/site.pack.sql:4: unknown severity \"loud\""), "\(result)")
            #expect(result.stderr.contains("check pack \(folder)/site.pack.sql not reloaded: 1 error; the version loaded before stays active (pack site: site-check) until the file loads again"), "\(result)")
            #expect(result.stdout.components(separatedBy: "site-check (site, info): ok, 0 rows").count == 3, "\(result)")
            #expect(!result.stderr.contains("no check or pack named"), "\(result)")
        }
    }
}
