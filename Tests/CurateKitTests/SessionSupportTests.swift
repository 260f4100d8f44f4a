import Testing
import Foundation
@testable import CurateKit

@Suite("Variables")
struct VariablesTests {
    @Test("booleans are read as psql reads them", arguments: [
        ("on", true), ("off", false), ("true", true), ("f", false), ("YES", true), ("n", false), ("1", true), ("0", false),
    ])
    func parsesBooleans(text: String, expected: Bool) {
        #expect(Variables.parseBool(text) == expected)
    }

    @Test("ambiguous or unknown text is not a boolean")
    func rejectsOthers() {
        #expect(Variables.parseBool("o") == nil)
        #expect(Variables.parseBool("maybe") == nil)
        #expect(Variables.parseBool("") == nil)
    }

    @Test("unset and unrecognised values fall back to the default")
    func defaults() {
        let variables = Variables()
        #expect(variables.bool("ON_ERROR_STOP", default: true))
        variables["ON_ERROR_STOP"] = "0"
        #expect(!variables.bool("ON_ERROR_STOP", default: true))
        variables["ON_ERROR_STOP"] = "sometimes"
        #expect(variables.bool("ON_ERROR_STOP", default: true))
    }
}

@Suite("Quoting without a connection")
struct SQLQuotingTests {
    @Test("identifiers double their quotes")
    func identifier() {
        #expect(SQLQuoting.identifier("plain") == "\"plain\"")
        #expect(SQLQuoting.identifier("we\"ird; name") == "\"we\"\"ird; name\"")
    }

    @Test("literals double quotes and switch to E'' for backslashes, as PQescapeLiteral")
    func literal() {
        #expect(SQLQuoting.literal("it's") == "'it''s'")
        #expect(SQLQuoting.literal("a\\b") == " E'a\\\\b'")
    }
}

@Suite("Server error presentation")
struct ServerErrorTests {
    @Test("psql's layout: severity, LINE excerpt with caret, DETAIL, HINT")
    func formatted() {
        var error = ServerError(sqlState: "42703", message: "column \"nosuch\" does not exist")
        error.statement = "select id,\n  nosuch from t;"
        error.position = 14
        error.hint = "Perhaps you meant to reference the column \"t.such\"."
        #expect(error.formatted() == """
            ERROR:  column "nosuch" does not exist
            LINE 2:   nosuch from t;
                      ^
            HINT:  Perhaps you meant to reference the column "t.such".
            """)
    }

    @Test("verbose form carries the SQLSTATE")
    func verbose() {
        let error = ServerError(sqlState: "42P01", message: "relation \"x\" does not exist")
        #expect(error.formatted(verbose: true).hasPrefix("ERROR:  42P01: relation \"x\" does not exist"))
    }

    @Test("a position past the end of the statement gives no excerpt")
    func positionOutOfRange() {
        #expect(ServerError.excerpt(of: "select 1", at: 99).isEmpty)
    }
}

@Suite("Progress line")
struct ProgressTests {
    @Test("done/total, a bar, the rate and the time left")
    func line() {
        let progress = Progress(label: "tables", total: 10, console: Console(outputDescriptor: -1, errorDescriptor: -1), enabled: false)
        progress.update(done: 5)
        let text = progress.line(now: Progress.now() + 5)
        #expect(text.hasPrefix("tables [##########          ] 5/10 ETA 0:0"))
        #expect(text.hasSuffix("(1/s)") || text.hasSuffix("(0/s)"))
    }

    @Test("durations as m:ss and h:mm:ss")
    func durations() {
        #expect(Progress.duration(65) == "1:05")
        #expect(Progress.duration(3725) == "1:02:05")
    }
}

/// The supported server range and the choice of client programs for a server.
@Suite("Server versions and client programs")
struct ServerVersionSupportTests {
    @Test("servers 13 to 18 are accepted; older and newer ones are refused with what to do")
    func supportedRange() {
        #expect(SupportedServerVersions.refusal(serverVersion: 130016, versionText: "13.16") == nil)
        #expect(SupportedServerVersions.refusal(serverVersion: 180006, versionText: "18.6") == nil)
        let old = SupportedServerVersions.refusal(serverVersion: 120022, versionText: "12.22")
        #expect(old == "the server runs PostgreSQL 12.22; curate supports PostgreSQL 13 to 18: upgrade the server, or use psql for this one")
        let new = SupportedServerVersions.refusal(serverVersion: 190000, versionText: "19devel")
        #expect(new?.hasPrefix("the server runs PostgreSQL 19devel, newer than curate knows") == true)
    }

    static func installation(_ major: Int, _ number: String, _ path: String) -> ClientProgram.Installation {
        ClientProgram.Installation(path: path, version: .init(major: major, text: "pg_dump (PostgreSQL) \(number)"), origin: .path)
    }

    @Test("the program of the server's major version first, else the newest newer one; an older one only in the error")
    func choosesForTheServer() throws {
        let found = [Self.installation(15, "15.18", "/a/pg_dump"), Self.installation(18, "18.6", "/b/pg_dump"),
                     Self.installation(17, "17.2", "/c/pg_dump")]
        #expect(try ClientProgram.choose(.pgDump, among: found, serverVersion: 150018).path == "/a/pg_dump")
        #expect(try ClientProgram.choose(.pgDump, among: found, serverVersion: 160004).path == "/b/pg_dump")
        #expect(try ClientProgram.choose(.pgDump, among: found, serverVersion: 130016).path == "/b/pg_dump")
        #expect(throws: CommandError.self) { try ClientProgram.choose(.pgDump, among: found.prefix(1).map { $0 }, serverVersion: 180006) }
        do {
            _ = try ClientProgram.choose(.pgDump, among: [Self.installation(15, "15.18", "/a/pg_dump")], serverVersion: 180006)
            Issue.record("a pg_dump older than the server was chosen")
        } catch let error as CommandError {
            #expect(error.message == "pg_dump 15.18 (/a/pg_dump) is older than the server (PostgreSQL 18): pg_dump must be of the server's major version or newer")
            #expect(error.hint?.hasPrefix("install postgresql-client-18 (apt-get install postgresql-client-18;") == true)
        }
        #expect(ClientProgram.Version(major: 15, text: "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)").number == "15.18")
        #expect(ClientProgram.majorVersion(of: "pg_dump (PostgreSQL) 9.6.24") == 9)
    }

    @Test("the search for a client program stops at the first copy of the server's major version; each binary is asked once")
    func searchStopsAtTheServersVersion() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-search-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let majors = ["a": 15, "b": 16, "c": 16, "d": 17]
        for name in majors.keys.sorted() {
            _ = FileManager.default.createFile(atPath: "\(folder)/\(name)", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        }
        try FileManager.default.createSymbolicLink(atPath: "\(folder)/a-again", withDestinationPath: "\(folder)/a")
        func search(stoppingAt major: Int?) -> (found: [String], asked: [String]) {
            var asked: [String] = []
            var search = ClientProgram.InstallationSearch(stoppingAtMajor: major) { path in
                asked.append((path as NSString).lastPathComponent)
                let name = (path as NSString).lastPathComponent.replacingOccurrences(of: "-again", with: "")
                return ClientProgram.Version(major: majors[name]!, text: "pg_dump (PostgreSQL) \(majors[name]!).1")
            }
            for name in ["a", "a-again", "missing", "b", "c", "d"] { search.consider("\(folder)/\(name)", .path) }
            return (search.found.map { ($0.path as NSString).lastPathComponent }, asked)
        }
        let stopped = search(stoppingAt: 16)
        #expect(stopped.found == ["a", "b"])
        #expect(stopped.asked == ["a", "b"])
        let all = search(stoppingAt: nil)
        #expect(all.found == ["a", "b", "c", "d"])
        #expect(all.asked == ["a", "b", "c", "d"])
        #expect(search(stoppingAt: 18).found == all.found)
        // The choice is the same either way.
        #expect(try ClientProgram.choose(.pgDump, among: ClientProgram.installations(of: .pgDump, stoppingAtMajor: 15), serverVersion: 150018).path
            == ClientProgram.choose(.pgDump, among: ClientProgram.installations(of: .pgDump), serverVersion: 150018).path)
    }
}
