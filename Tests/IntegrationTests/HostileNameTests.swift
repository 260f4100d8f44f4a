import CurateTestSupport
import Foundation
import Testing

/// Tables and columns whose names hold quotes, semicolons, spaces, backslashes and non-ASCII, run
/// through every plugin: `\d`, `\dt`, completion's catalog read, a check pack's `\check` and
/// `\fix --where`, `\backup --exclude-table` and `\restore --table`. Nothing may break, names must
/// reach the server quoted, and values as parameters: a name or a condition never starts a
/// second statement.
@Suite("Hostile names", .serialized)
struct HostileNameTests {
    /// `we"ird; tab`: a quote, a semicolon and a space.
    static let weird = "we\"ird; tab"
    static let weirdSQL = "\"we\"\"ird; tab\""
    /// `ñandú table`: non-ASCII and a space.
    static let nandu = "ñandú table"

    /// A database with the two tables, a sequence to catch writes, and a pack naming the weird table.
    static func prepare() throws -> TestDatabase {
        let database = try TestDatabase.create()
        do {
            try database.psql("""
                CREATE TABLE "we""ird; tab" (id integer PRIMARY KEY, "col ""q""; x" text, "ñandú" text, "back\\slash" integer);
                INSERT INTO "we""ird; tab" VALUES (1, 'a', '', 10), (2, 'b''c; d', '', 20), (3, 'e', 'kept', 30);
                CREATE TABLE "ñandú table" ("ümlaut; col" text, "tab\tcol" integer);
                INSERT INTO "ñandú table" VALUES ('x', 1);
                CREATE SEQUENCE hostile_writes;
                """)
        } catch {
            database.drop()
            throw error
        }
        return database
    }

    static let pack = """
        -- pack: hostile
        -- version: 1.0
        -- description: a check and a fix on a table with a hostile name

        -- check: hostile-blank-note
        -- severity: warning
        -- description: a row whose note is blank
        -- tables: "we""ird; tab", "ñandú table"
        SELECT t.id, t."col ""q""; x", t."ñandú" FROM "we""ird; tab" t WHERE t."ñandú" = '' ORDER BY t.id;

        -- fix: hostile-blank-note
        -- summary: set the blank note to n/a
        -- table: "we""ird; tab"
        -- key: id
        -- scope-type: integer
        -- set: ñandú
        -- lock:
        SELECT t.id AS scope FROM "we""ird; tab" t WHERE t."ñandú" = '' AND {where t} ORDER BY t.id FOR UPDATE;
        -- target:
        SELECT t.id, 'n/a' AS "ñandú" FROM "we""ird; tab" t WHERE t.id = ANY($1::integer[]) AND t."ñandú" = '';

        """

    /// A private plugin folder (0700) holding the pack.
    static func packFolder() throws -> String {
        let folder = NSTemporaryDirectory() + "curate-hostile-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try pack.write(toFile: folder + "/hostile.pack.sql", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: folder + "/hostile.pack.sql")
        return folder
    }

    func curate(_ database: TestDatabase, _ commands: [String], arguments: [String] = []) -> CurateResult {
        CurateProcess.run(in: database, arguments: ["-X"] + arguments + commands.flatMap { ["-c", $0] }, timeout: 300)
    }

    /// The weird table's rows, `id|note` by id.
    static func rows(_ database: TestDatabase, name: String? = nil) throws -> String {
        try database.server.psql("SELECT string_agg(id || '|' || \"ñandú\", ',' ORDER BY id) FROM \"we\"\"ird; tab\"",
                                 database: name ?? database.name)
    }

    @Test("\\d and \\dt describe and list tables with hostile names")
    func describeAndList() throws {
        let database = try Self.prepare()
        defer { database.drop() }
        // \d takes the name as SQL writes it; single quotes keep the double quotes from the argument tokenizer.
        let described = curate(database, ["\\d '\(Self.weirdSQL)'", "\\d '\"\(Self.nandu)\"'", "\\dt"])
        #expect(described.status == 0, "\(described)")
        // (A tab in a name is shown as spaces, as psql does.)
        for column in ["col \"q\"; x", "ñandú", "back\\slash", "ümlaut; col", "tab     col"] {
            #expect(described.stdout.contains(column), "\(column) missing: \(described)")
        }
        #expect(described.stdout.contains("public.we\"ird; tab") || described.stdout.contains("we\"ird; tab"))
        #expect(described.stdout.contains(Self.nandu))
        // Not found: a clear message, and still no second statement.
        let missing = curate(database, ["\\d '\"nope\"\"; DROP TABLE x\"'"])
        #expect(missing.stderr.contains("Did not find any relation"), "\(missing)")
        #expect(try Self.rows(database) == "1|,2|,3|kept")
    }

    @Test("completion reads the catalog and offers hostile names quoted")
    func completion() throws {
        let database = try Self.prepare()
        defer { database.drop() }
        let result = curate(database, ["\\refresh", "\\complete 'SELECT * FROM '", "\\complete 'SELECT * FROM \"we\"\"ird; tab\" WHERE '"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("Completion names read"), "\(result)")
        #expect(result.stdout.contains(Self.weirdSQL), "\(result)")
        #expect(result.stdout.contains("\"\(Self.nandu)\""), "\(result)")
        #expect(result.stdout.contains("\"col \"\"q\"\"; x\""), "\(result)")
    }

    @Test("a check pack naming a hostile table runs; \\fix --where with quotes and a semicolon changes only the rows it names")
    func checkAndFix() throws {
        let database = try Self.prepare()
        defer { database.drop() }
        let folder = try Self.packFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let check = curate(database, ["\\check hostile-blank-note"], arguments: ["--plugin-dir", folder])
        #expect(check.stdout.contains("hostile-blank-note"), "\(check)")
        #expect(check.stdout.contains("b'c; d"), "\(check)")
        #expect(!check.stderr.contains("ERROR"), "\(check)")

        // A condition with a quoted column, a string holding a quote and a semicolon.
        let condition = #""col ""q""; x" = 'b''c; d'"#
        let escaped = condition.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let dry = curate(database, ["\\fix hostile-blank-note --where \"\(escaped)\" --dry-run --no-audit"], arguments: ["--plugin-dir", folder])
        #expect(dry.status == 0, "\(dry)")
        #expect(dry.stdout.contains("1 row changed"), "\(dry)")
        #expect(try Self.rows(database) == "1|,2|,3|kept")
        let fixed = curate(database, ["\\fix hostile-blank-note --where \"\(escaped)\" --commit --yes"], arguments: ["--plugin-dir", folder])
        #expect(fixed.status == 0, "\(fixed)")
        #expect(try Self.rows(database) == "1|,2|n/a,3|kept")
        // The audit record keeps the condition as it was given (a parameter, not spliced into SQL).
        let audited = try database.psql("SELECT condition FROM curate.audit WHERE check_name = 'hostile-blank-note'")
        #expect(audited == condition)
    }

    @Test("\\fix --where cannot start a second statement nor write: it is refused and nothing changes", arguments: [
        // Closes the parentheses and appends a statement.
        #"true)) ; DELETE FROM "we""ird; tab"; SELECT ((true"#,
        // A comment that swallows the closing parentheses.
        #"true)) ; DELETE FROM "we""ird; tab" --"#,
        // Calls a function that writes (advances a sequence).
        #"pg_catalog.nextval('hostile_writes') > 0"#,
    ])
    func whereInjection(condition: String) throws {
        let database = try Self.prepare()
        defer { database.drop() }
        let folder = try Self.packFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let escaped = condition.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let result = curate(database, ["\\fix hostile-blank-note --where \"\(escaped)\" --commit --yes --no-audit"], arguments: ["--plugin-dir", folder])
        #expect(result.status != 0, "\(result)")
        #expect(result.stderr.contains("--where"), "\(result)")
        #expect(try Self.rows(database) == "1|,2|,3|kept")
        #expect(try database.psql("SELECT is_called FROM hostile_writes") == "f")
    }

    @Test("\\backup --exclude-table and \\restore --table with hostile names")
    func backupAndRestore() throws {
        let database = try Self.prepare()
        defer { database.drop() }
        let folder = NSTemporaryDirectory() + "curate-hostile-backup-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        // pg_dump's pattern: the name as SQL writes it, so its quotes are kept by single quotes.
        let excluded = curate(database, ["\\backup --dir \(folder) --exclude-table '\(Self.weirdSQL)'"])
        #expect(excluded.status == 0, "\(excluded)")
        let first = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".pg_dump_c") }
        try #require(first.count == 1)
        let listed = curate(database, ["\\restore \(folder)/\(first[0]) --list"])
        #expect(!listed.stdout.contains(Self.weird), "\(listed)")
        #expect(listed.stdout.contains(Self.nandu), "\(listed)")
        try FileManager.default.removeItem(atPath: folder + "/" + first[0])
        try? FileManager.default.removeItem(atPath: folder + "/" + first[0] + ".manifest")

        #expect(curate(database, ["\\backup --dir \(folder)"]).status == 0)
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".pg_dump_c") })
        let target = "\(database.name)_h"
        defer { _ = try? database.server.psql("DROP DATABASE IF EXISTS \"\(target)\" WITH (FORCE)", database: "postgres") }
        // --table takes the table's name as it is (NAME or SCHEMA.NAME), not SQL-quoted.
        let restored = curate(database, ["\\restore \(folder)/\(file) --into \(target) --table '\(Self.weird)' --table 'public.\(Self.nandu)'"])
        #expect(restored.status == 0, "\(restored)")
        #expect(try Self.rows(database, name: target) == "1|,2|,3|kept")
        #expect(try database.server.psql("SELECT count(*) FROM \"ñandú table\"", database: target) == "1")
        #expect(try database.server.psql(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = '\"we\"\"ird; tab\"'::regclass AND contype = 'p'", database: target) == "1")
    }
}
