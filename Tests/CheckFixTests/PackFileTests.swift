import CurateChecks
import CurateKit
import CurateTestSupport
import Foundation
import Testing

/// Helpers for pack file tests: parse text, collect errors, make trusted folders.
enum Packs {
    static let examplePath = CurateBinary.packageRoot.appendingPathComponent("Examples/packs/archive-extra.pack.sql").path

    /// The errors of parsing `text` as the file `path` (empty when it parsed).
    static func errors(_ text: String, path: String = "/packs/test.pack.sql") -> [PackFileError] {
        do {
            _ = try PackFile.parse(text, path: path)
            return []
        } catch {
            return error.errors
        }
    }

    /// A fresh folder only its owner may write (as `PluginTrust` wants), removed afterwards.
    static func withFolder(_ body: (String) throws -> Void) throws {
        let path = NSTemporaryDirectory() + "curate-packs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        _ = chmod(path, 0o644)
    }

    /// A small valid pack with one check (and its fix) named `check`.
    static func simple(pack: String, check: String) -> String {
        """
        -- pack: \(pack)
        -- version: 2.1
        -- check: \(check)
        -- severity: info
        -- description: nothing, really
        SELECT 1 WHERE false;
        """
    }
}

@Suite("check packs: the file format")
struct PackFileTests {
    @Test("the example pack parses into checks and fixes that \\check and \\fix run like built-in ones")
    func examplePack() throws {
        let file = try PackFile.load(path: Packs.examplePath)
        #expect(file.pack.name == "archive-extra")
        #expect(file.version == "1.0")
        #expect(file.line == 6)
        #expect(file.pack.description.hasPrefix("More rules for the FITS archive"))
        #expect(file.pack.checks.map(\.name) == ["compressed-flag-mismatch", "queue-failed-inprogress", "diskfile-truncated"])
        #expect(file.pack.checks.map(\.severity) == [.warning, .warning, .error])
        #expect(file.pack.checks.allSatisfy { $0.pack == "archive-extra" })
        #expect(file.checkLines["compressed-flag-mismatch"] == 10)

        let mismatch = try #require(file.pack.checks.first)
        #expect(mismatch.requiredTables == ["diskfile"])
        #expect(mismatch.description == "a diskfile whose compressed flag disagrees with its filename (.bz2 or not)")
        guard case .sql(let sql) = mismatch.query else {
            Issue.record("a pack check is one SQL statement")
            return
        }
        #expect(sql.hasPrefix("SELECT d.id AS diskfile_id"))
        #expect(sql.hasSuffix("ORDER BY d.id"))  // the closing semicolon is not part of it
        // A pack check may only read: it runs in a read-only transaction (or savepoint).
        #expect(mismatch.settings == [QuerySetting("transaction_read_only", "on")])

        let truncated = file.pack.checks[2]
        #expect(truncated.requiredTables == ["diskfile", "file"])
        #expect(truncated.parameters.count == 1)
        #expect(truncated.parameters.first?.variable == "CURATE_MIN_FITS_BYTES")
        #expect(truncated.parameters.first?.defaultValue == "2880")
        #expect(truncated.parameters.first?.description == "the smallest data size a present FITS file can have, in bytes")

        #expect(file.pack.fixes.map(\.check) == ["compressed-flag-mismatch", "queue-failed-inprogress", "diskfile-truncated"])
        guard case .rows(let rowFix) = file.pack.fixes[0].kind else {
            Issue.record("compressed-flag-mismatch has a row fix")
            return
        }
        #expect(rowFix.table == "diskfile")
        #expect(rowFix.key == "id")
        #expect(rowFix.scopeType == "integer")
        #expect(rowFix.setColumns == ["compressed"])
        #expect(rowFix.lock.contains("{where d}"))
        #expect(rowFix.lock.hasSuffix("FOR UPDATE"))
        #expect(rowFix.target.hasPrefix("SELECT d.id, d.filename LIKE '%.bz2' AS compressed"))
        #expect(!rowFix.target.hasSuffix(";"))
        #expect(file.pack.fixes[0].summary.hasPrefix("set compressed from the filename"))
        guard case .none(let reason) = file.pack.fixes[2].kind else {
            Issue.record("diskfile-truncated declares no-fix")
            return
        }
        #expect(reason == "fetch the file again, re-ingest it, then run \\check diskfile-truncated")
    }

    @Test("the pack is named after the file when there is no -- pack: line; CRLF line ends are read")
    func defaultsAndCRLF() throws {
        let text = "-- check: lonely\r\n-- severity: ERROR\r\n-- description: d\r\nSELECT 1 WHERE false\r\n"
        let file = try PackFile.parse(text, path: "/somewhere/site-rules.pack.sql")
        #expect(file.pack.name == "site-rules")
        #expect(file.version == PackFile.noVersion)
        #expect(file.pack.checks.first?.severity == .error)
        guard case .sql(let sql)? = file.pack.checks.first?.query else {
            Issue.record("no SQL")
            return
        }
        #expect(sql == "SELECT 1 WHERE false")
    }

    @Test("parameters: quoted defaults, no default (NULL), numbering $1... in the check, $2... in the fix's target")
    func parameters() throws {
        let text = """
            -- check: old-queue
            -- severity: warning
            -- description: old entries
            -- tables: ingestqueue
            -- param: CURATE_OLD = '2 days' | how old is old (an interval)
            -- param: CURATE_NOW | the time compared with (default: now)
            -- param: CURATE_NOTE = it's | a default without quotes
            SELECT id FROM ingestqueue
            WHERE added < COALESCE($2::timestamp, LOCALTIMESTAMP) - $1::interval AND $3 IS NOT NULL;
            -- fix: old-queue
            -- summary: clear inprogress
            -- table: ingestqueue
            -- key: id
            -- set: inprogress
            -- param: CURATE_EXTRA = 'x''y'
            -- lock:
            SELECT id AS scope FROM ingestqueue q WHERE q.added < COALESCE($2::timestamp, LOCALTIMESTAMP) - $1::interval
              AND $3 IS NOT NULL AND $4 IS NOT NULL AND {where q} FOR NO KEY UPDATE
            -- target:
            SELECT id, false AS inprogress FROM ingestqueue WHERE id = ANY($1::integer[])
              AND added < COALESCE($3::timestamp, LOCALTIMESTAMP) - $2::interval AND $4 IS NOT NULL AND $5 IS NOT NULL
            """
        let file = try PackFile.parse(text, path: "/p/q.pack.sql")
        let check = try #require(file.pack.checks.first)
        #expect(check.parameters.map(\.variable) == ["CURATE_OLD", "CURATE_NOW", "CURATE_NOTE"])
        #expect(check.parameters.map(\.defaultValue) == ["2 days", nil, "it's"])
        #expect(check.parameters[1].description == "the time compared with (default: now)")
        let fix = try #require(file.pack.fixes.first)
        #expect(fix.parameters.map(\.variable) == ["CURATE_OLD", "CURATE_NOW", "CURATE_NOTE", "CURATE_EXTRA"])
        #expect(fix.parameters.last?.defaultValue == "x'y")
        guard case .rows(let rowFix) = fix.kind else {
            Issue.record("a row fix")
            return
        }
        #expect(rowFix.scopeType == "text")
    }

    @Test("a statement fix: -- generate: returns object and statement; -- transactional: no")
    func statementFix() throws {
        let text = """
            -- pack: maintenance
            -- check: unanalyzed
            -- severity: info
            -- description: tables never analyzed
            SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NULL AND last_autoanalyze IS NULL
            -- fix: unanalyzed
            -- summary: ANALYZE them
            -- transactional: no
            -- generate:
            SELECT relname AS object, format('ANALYZE %I', relname) AS statement
            FROM pg_stat_user_tables WHERE last_analyze IS NULL AND last_autoanalyze IS NULL;
            """
        let file = try PackFile.parse(text, path: "/p/maintenance.pack.sql")
        guard case .statements(let fix)? = file.pack.fixes.first?.kind else {
            Issue.record("a statement fix")
            return
        }
        #expect(!fix.transactional)
        #expect(fix.generator.hasPrefix("SELECT relname AS object"))
        #expect(!fix.generator.hasSuffix(";"))
    }

    @Test("semicolons, $n and -- key: inside strings, dollar quotes and comments are SQL, not structure")
    func quoting() throws {
        let text = """
            -- check: quoted
            -- severity: info
            -- description: tricky text
            SELECT 'a;b $1' AS s, $$ ; $2 $$ AS d, $tag$ ' ; $tag$ AS t, E'\\' ; ' AS e, "semi;colon" AS q
            -- severity: this line is a comment inside the SQL?  No: a header key after SQL is an error,
            /* ; $3 */ WHERE true;
            """
        let errors = Packs.errors(text)
        #expect(errors.map(\.line) == [5])
        #expect(errors.first?.message.contains("must come before the SQL of check quoted") == true)
        let fine = text.replacingOccurrences(of: "-- severity: this", with: "-- Severity this")
        let file = try PackFile.parse(fine, path: "/p/t.pack.sql")
        guard case .sql(let sql)? = file.pack.checks.first?.query else {
            Issue.record("no SQL")
            return
        }
        #expect(sql.hasSuffix("WHERE true"))
        #expect(sql.contains("'a;b $1'"))
    }

    // MARK: Errors, each with its file and line

    @Test("an unknown severity is named with its line and the severities there are")
    func unknownSeverity() {
        let errors = Packs.errors("""
            -- pack: p
            -- check: c
            -- severity: critical
            -- description: d
            SELECT 1
            """)
        #expect(errors.map(\.description) == ["/packs/test.pack.sql:3: unknown severity \"critical\" for check c; use info, warning or error"])
    }

    @Test("a check without SQL, without severity or without description is reported at its -- check: line")
    func missingParts() {
        let errors = Packs.errors("""
            -- pack: p
            -- check: empty
            -- severity: info
            -- description: nothing follows
            -- just a comment

            -- check: bare
            SELECT 1
            """)
        #expect(errors.map(\.line) == [2, 7, 7])
        #expect(errors[0].message == "check empty has no SQL: write the query that returns the offending rows after its header")
        #expect(errors[1].message.hasPrefix("check bare has no -- severity:"))
        #expect(errors[2].message.hasPrefix("check bare has no -- description:"))
    }

    @Test("a check declared twice in one file: the second is reported, naming the line of the first")
    func duplicateNames() {
        let errors = Packs.errors("""
            -- check: twice
            -- severity: info
            -- description: first
            SELECT 1;
            -- check: twice
            -- severity: info
            -- description: second
            SELECT 2;
            """)
        #expect(errors.map(\.description) == ["/packs/test.pack.sql:5: check twice is declared twice in this file (first at line 1)"])
    }

    @Test("unknown keys, keys given twice, keys after the SQL, and SQL before any check")
    func misplacedLines() {
        let errors = Packs.errors("""
            SELECT 0;
            -- pack: p
            -- check: c
            -- severty: error
            -- description: d
            -- description: again
            SELECT 1
            -- tables: diskfile
            """)
        #expect(errors.map(\.line) == [1, 4, 6, 8, 3])
        #expect(errors[0].message.hasPrefix("SQL outside a check"))
        #expect(errors[1].message.hasPrefix("unknown key \"severty\" in check c; known: severity, description"))
        #expect(errors[2].message == "-- description: appears twice in check c (first at line 5)")
        #expect(errors[3].message.hasPrefix("-- tables: must come before the SQL of check c"))
        // The misspelt key leaves the check without a severity.
        #expect(errors[4].message.hasPrefix("check c has no -- severity:"))
    }

    @Test("two statements in one section, and $n the check does not declare, are reported at their lines")
    func statementsAndParameters() {
        let errors = Packs.errors("""
            -- check: two
            -- severity: info
            -- description: d
            SELECT 1;
            SELECT 2;
            -- check: params
            -- severity: info
            -- description: d
            -- param: CURATE_A = 1
            SELECT $1::int,
                   $2::int
            -- check: unused
            -- severity: info
            -- description: d
            -- param: CURATE_B = 1
            SELECT 1
            """)
        #expect(errors.map(\.line) == [5, 11, 16])
        #expect(errors[0].message.hasPrefix("check two: more than one statement"))
        #expect(errors[1].message == "check params uses $2, but the parameters are $1 = CURATE_A")
        #expect(errors[2].message.hasPrefix("check unused does not use $1"))
    }

    @Test("bad -- param: lines are reported at their lines")
    func badParameters() {
        let errors = Packs.errors("""
            -- check: c
            -- severity: info
            -- description: d
            -- param: = 5
            -- param: CURATE_X =
            -- param: CURATE_Y = 'open
            -- param: CURATE_Z 'stray'
            SELECT 1
            """)
        #expect(errors.map(\.line) == [4, 5, 6, 7])
    }

    @Test("fixes: no check before it, no lock, lock without FOR UPDATE or {where}, missing table/key/set, both kinds")
    func badFixes() {
        let errors = Packs.errors("""
            -- fix: nothing-here
            -- summary: s
            -- check: c
            -- severity: info
            -- description: d
            SELECT id FROM diskfile
            -- fix: c
            -- summary: s
            -- table: diskfile
            -- key: id
            -- set: present
            -- lock:
            SELECT d.id AS scope FROM diskfile d WHERE true
            -- target:
            SELECT id, false AS present FROM diskfile WHERE id = ANY($1::integer[])
            -- check: c2
            -- severity: info
            -- description: d
            SELECT id FROM diskfile
            -- fix: c2
            -- summary: s
            -- target:
            SELECT 1 WHERE $1 IS NOT NULL
            -- check: c3
            -- severity: info
            -- description: d
            SELECT id FROM diskfile
            -- fix: c3
            -- summary: s
            -- generate:
            SELECT 'x' AS object, 'ANALYZE' AS statement
            -- lock:
            SELECT 1 FOR UPDATE
            """)
        #expect(errors.map(\.line) == [1, 12, 12, 20, 20, 20, 20, 30])
        #expect(errors[0].message == "fix nothing-here: no check nothing-here before it in this file (a fix follows its check)")
        #expect(errors[1].message.contains("must lock the rows it reads (SELECT ... FOR UPDATE)"))
        #expect(errors[2].message.contains("needs {where ALIAS}"))
        #expect(errors[3].message.hasPrefix("fix c2 has no -- table:"))
        #expect(errors[4].message.hasPrefix("fix c2 has no -- key:"))
        #expect(errors[5].message.hasPrefix("fix c2 has no -- set:"))
        #expect(errors[6].message.hasPrefix("fix c2 has -- target: but no -- lock:"))
        #expect(errors[7].message.contains("has both -- lock:/-- target: (a row fix) and -- generate:"))
    }

    @Test("a second -- pack: line, an empty file and an invalid name")
    func packHeader() {
        #expect(Packs.errors("-- pack: a\n-- pack: b\n-- check: c\n-- severity: info\n-- description: d\nSELECT 1").map(\.line) == [2])
        #expect(Packs.errors("-- only a comment\n").map(\.description) == ["/packs/test.pack.sql:1: the file declares no check (-- check: NAME, then its SQL)"])
        #expect(Packs.errors("-- pack: bad name\n-- check: c\n-- severity: info\n-- description: d\nSELECT 1").map(\.line) == [1, 1])
    }

    @Test("all errors of a file are reported, not only the first")
    func everyError() {
        let errors = Packs.errors("""
            -- check: a
            -- severity: fatal
            -- description: d
            SELECT 1
            -- check: b
            -- severity: info
            -- description: d
            -- check: c
            -- severity: info
            -- description: d
            SELECT 1; SELECT 2
            """, path: "/etc/curate/x.pack.sql")
        #expect(errors.map(\.description) == [
            "/etc/curate/x.pack.sql:2: unknown severity \"fatal\" for check a; use info, warning or error",
            "/etc/curate/x.pack.sql:5: check b has no SQL: write the query that returns the offending rows after its header",
            "/etc/curate/x.pack.sql:11: check c: more than one statement (one statement per section; this one begins after the ; of line 11)",
        ])
    }

    // MARK: Loading from folders

    @Test("a bad file is reported with file:line and skipped; the good one beside it loads")
    func loaderSkipsBadFile() throws {
        try Packs.withFolder { folder in
            try Packs.write(Packs.simple(pack: "good", check: "good-check"), to: folder + "/a-good.pack.sql")
            try Packs.write("-- check: bad\n-- severity: awful\n-- description: d\nSELECT 1\n", to: folder + "/b-bad.pack.sql")
            try Packs.write("not a pack, not loaded", to: folder + "/notes.sql")
            let report = CheckPackLoader.load(from: PluginSearchPath(directories: [folder]))
            #expect(report.packs.map(\.pack.name) == ["good"])
            #expect(report.skippedFiles == 1)
            #expect(report.warnings == [
                "\(folder)/b-bad.pack.sql:2: unknown severity \"awful\" for check bad; use info, warning or error",
                "check pack \(folder)/b-bad.pack.sql skipped: 1 error; the other packs are loaded",
            ])
        }
    }

    @Test("a check named like a built-in or an earlier pack's check is refused, naming both; its neighbours load")
    func loaderNameClashes() throws {
        try Packs.withFolder { first in
            try Packs.withFolder { second in
                try Packs.write(Packs.simple(pack: "one", check: "shared-name"), to: first + "/one.pack.sql")
                try Packs.write("""
                    -- pack: two
                    -- check: duplicate-canonical
                    -- severity: error
                    -- description: mine
                    SELECT 1 WHERE false
                    -- check: shared-name
                    -- severity: error
                    -- description: mine too
                    SELECT 1 WHERE false
                    -- check: own-name
                    -- severity: info
                    -- description: mine alone
                    SELECT 1 WHERE false
                    """, to: second + "/two.pack.sql")
                try Packs.write(Packs.simple(pack: "postgres", check: "pg-extra"), to: second + "/three.pack.sql")
                let report = CheckPackLoader.load(from: PluginSearchPath(directories: [first, second]))
                #expect(report.packs.map(\.pack.name) == ["one", "two"])
                #expect(report.packs.last?.pack.checks.map(\.name) == ["own-name"])
                #expect(report.warnings == [
                    "\(second)/three.pack.sql:1: pack postgres refused: the name is already taken by the built-in pack postgres; rename one of them",
                    "\(second)/two.pack.sql:2: check duplicate-canonical of pack two refused: the name is already taken by the built-in check duplicate-canonical (pack fitsstorage); rename one of them",
                    "\(second)/two.pack.sql:6: check shared-name of pack two refused: the name is already taken by check shared-name of pack one (\(first)/one.pack.sql:3); rename one of them",
                ])
            }
        }
    }

    @Test("the store: built-in packs plus the loaded ones, described for \\plugins; an empty search path unloads them")
    func store() throws {
        try Packs.withFolder { folder in
            try Packs.write(Packs.simple(pack: "site", check: "site-check"), to: folder + "/site.pack.sql")
            let store = CheckCatalogStore()
            let report = store.reload(from: PluginSearchPath(directories: [folder]))
            #expect(report.warnings.isEmpty)
            #expect(store.catalog.check(named: "site-check")?.pack == "site")
            #expect(store.catalog.check(named: "duplicate-canonical") != nil)
            #expect(store.catalog.packs.count == CheckCatalog.builtIn.packs.count + 1)
            #expect(store.descriptions == [PluginDescription(name: "site", kind: .pack, origin: folder + "/site.pack.sql", version: "2.1", provides: ["site-check"])])
            store.reload(from: .empty)
            #expect(store.catalog.check(named: "site-check") == nil)
            #expect(store.descriptions.isEmpty)
        }
    }
}
