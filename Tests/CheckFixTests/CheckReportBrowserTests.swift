import CurateTestSupport
import Foundation
import Testing

/// `\report --out DIR`: a static HTML report, loaded in a real headless browser (Debian's
/// chromium): no console errors, a plot per check, a row page per check with findings.
@Suite("check report: the HTML report in a headless browser")
struct CheckReportBrowserTests {
    /// Where the screenshot is kept: beside the test products, under test-artifacts.
    static var artifactFolder: String {
        CurateBinary.url.deletingLastPathComponent().appendingPathComponent("test-artifacts/check-report").path
    }

    /// One browser run with a profile folder of its own (two at once cannot share one).
    static func chromium(_ arguments: [String]) throws -> TestTools.Output {
        let profile = NSTemporaryDirectory() + "curate-chromium-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: profile) }
        return try TestTools.run(try TestTools.chromium(), [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile,
        ] + arguments)
    }

    /// The browser's report of a page's console messages and script errors.
    static func consoleLines(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { $0.contains("CONSOLE") || $0.contains("Uncaught") }
    }

    @Test("the console check sees a page's console error (so its silence about the report means something)")
    func consoleErrorsAreSeen() throws {
        try Packs.withFolder { folder in
            try Packs.write("<!DOCTYPE html><html><body><script>console.error('probe-error-4711')</script></body></html>", to: folder + "/probe.html")
            let result = try Self.chromium(["--dump-dom", "file://" + folder + "/probe.html"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(Self.consoleLines(result.stderr).contains { $0.contains("probe-error-4711") }, "\(result.stderr)")
        }
    }

    @Test("\\report --out DIR: index with a plot per check, row pages, no script; loads without console errors; screenshot kept")
    func reportInBrowser() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let checks = "orphan-file duplicate-canonical disabled-trigger"
        #expect(CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check \(checks)"]).status == 0)
        _ = try database.psql("INSERT INTO file (name) VALUES ('report-orphan.fits')")
        #expect(CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check \(checks)"]).status == 0)
        try Packs.withFolder { folder in
            let out = folder + "/report"
            let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\report --out \(out) \(checks)"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("Report written: \(out)/index.html (3 checks, 3 files)."), "\(result)")
            let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
            #expect(names == ["check-duplicate-canonical.html", "check-orphan-file.html", "index.html"], "\(names)")
            // The report run is recorded too: three runs per check.
            #expect(try database.psql("SELECT count(*) FROM curate.check_run") == "3")
            for name in names {
                let html = try String(contentsOfFile: out + "/" + name, encoding: .utf8)
                #expect(!html.contains("<script"), "\(name)")
                #expect(!html.contains("src="), "\(name)")
                #expect(!html.contains("<link"), "\(name)")
            }

            let index = try Self.chromium(["--dump-dom", "file://" + out + "/index.html"])
            #expect(index.status == 0, "\(index.stderr)")
            #expect(Self.consoleLines(index.stderr).isEmpty, "\(index.stderr)")
            for check in checks.split(separator: " ") {
                #expect(index.stdout.contains("<svg class=\"plot\" data-check=\"\(check)\""), "\(check): \(index.stdout)")
            }
            // orphan-file: 2, then 3, then 3 findings: three points joined by a line.
            let start = try #require(index.stdout.range(of: "data-check=\"orphan-file\""))
            let rest = index.stdout[start.lowerBound...]
            let plot = String(rest[..<(rest.range(of: "</svg>")?.lowerBound ?? rest.endIndex)])
            #expect(plot.components(separatedBy: "<circle class=\"run\"").count - 1 == 3, "\(plot)")
            #expect(plot.contains("<polyline"), "\(plot)")
            #expect(index.stdout.contains("<a href=\"check-orphan-file.html\">orphan-file</a>"), "\(index.stdout)")

            let page = try Self.chromium(["--dump-dom", "file://" + out + "/check-orphan-file.html"])
            #expect(page.status == 0, "\(page.stderr)")
            #expect(Self.consoleLines(page.stderr).isEmpty, "\(page.stderr)")
            #expect(page.stdout.contains("<td>report-orphan.fits</td>"), "\(page.stdout)")
            #expect(page.stdout.contains("<table class=\"record\" id=\"row-3\">"), "\(page.stdout)")

            let artifacts = Self.artifactFolder
            try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
            let screenshot = artifacts + "/report-index.png"
            try? FileManager.default.removeItem(atPath: screenshot)
            let shot = try Self.chromium(["--hide-scrollbars", "--window-size=1280,1800", "--screenshot=" + screenshot, "file://" + out + "/index.html"])
            #expect(shot.status == 0, "\(shot.stderr)")
            let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "not a PNG: \(screenshot)")
            print("check report screenshot: \(screenshot)")
        }
    }
}
