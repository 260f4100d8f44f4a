import CurateChecks
import CurateKit
import CurateTestSupport
import Foundation
import Testing

/// A row fix whose lock query and table are given; its check reads diskfile and file.
enum PlaceholderPacks {
    static func rowFix(lock: String, table: String = "diskfile", target: String? = nil, check: String? = nil) -> String {
        """
        -- pack: aliases
        -- check: present-mismatch
        -- severity: warning
        -- description: a diskfile of a file whose name it does not carry
        \(check ?? "SELECT d.id, f.name FROM diskfile d JOIN file f ON f.id = d.file_id WHERE NOT d.present ORDER BY d.id;")

        -- fix: present-mismatch
        -- summary: mark it present
        -- table: \(table)
        -- key: id
        -- scope-type: integer
        -- set: present
        -- lock:
        \(lock)
        -- target:
        \(target ?? "SELECT d.id, true AS present FROM diskfile d WHERE d.id = ANY($1::integer[]) AND NOT d.present;")
        """
    }

    /// The lock query of the dangerous mistake: `{where f}` names the file, while the fix changes
    /// diskfile rows by their id, so `--where 'id = 5'` would pick the diskfiles of file 5.
    static let misaliasedLock = """
        SELECT d.id AS scope
        FROM diskfile d JOIN file f ON f.id = d.file_id
        WHERE NOT d.present
          AND {where f}
        ORDER BY d.id
        FOR UPDATE OF d;
        """
}

@Suite("check packs: placeholders checked when the file loads")
struct PackPlaceholderTests {
    @Test("{where ALIAS} naming another table than the fix's is refused, with the file, the line, the alias given and the ones allowed")
    func misaliasedWhere() {
        let errors = Packs.errors(PlaceholderPacks.rowFix(lock: PlaceholderPacks.misaliasedLock), path: "/packs/aliases.pack.sql")
        #expect(errors.count == 1, "\(errors)")
        let error = errors.first
        #expect(error?.path == "/packs/aliases.pack.sql")
        #expect(error?.line == 17)
        #expect(error?.description == "/packs/aliases.pack.sql:17: fix present-mismatch (-- lock:): {where f} is refused: f is table file there, "
                + "not the fix's table diskfile (-- table:), so \\fix --where would select the wrong rows; allowed: {where d}")
    }

    @Test("an alias that is no table of the query, and a query that does not read the fix's table, are refused")
    func unknownAliasAndMissingTable() {
        let unknown = Packs.errors(PlaceholderPacks.rowFix(lock: "SELECT d.id AS scope FROM diskfile d WHERE {where x} FOR UPDATE;"))
        #expect(unknown.map(\.message) == ["fix present-mismatch (-- lock:): {where x} is refused: x is not a table or alias of the query's FROM list there; allowed: {where d}"])

        let noTable = Packs.errors(PlaceholderPacks.rowFix(lock: "SELECT f.id AS scope FROM file f WHERE {where f} FOR UPDATE;"))
        #expect(noTable.first?.message.contains("no alias of diskfile is in scope there") == true, "\(noTable)")
    }

    @Test("an alias of the fix's table is accepted however the table is named: schema-qualified, with AS, unaliased, in a subquery")
    func acceptedForms() {
        for lock in [
            "SELECT d.id AS scope FROM public.diskfile AS d WHERE {where d} FOR UPDATE;",
            "SELECT diskfile.id AS scope FROM diskfile WHERE {where diskfile} FOR UPDATE;",
            "SELECT f.id AS scope FROM file f WHERE f.id IN (SELECT x.file_id FROM diskfile x WHERE {where x}) FOR UPDATE;",
            "SELECT d.id AS scope FROM file f, diskfile d WHERE d.file_id = f.id AND {where d} AND '{where f}' <> '' FOR UPDATE;",
        ] {
            #expect(Packs.errors(PlaceholderPacks.rowFix(lock: lock)).isEmpty, "\(lock)")
        }
        // An alias reused inside a subquery for another table stands for that one there.
        let shadowed = Packs.errors(PlaceholderPacks.rowFix(
            lock: "SELECT d.id AS scope FROM diskfile d WHERE EXISTS (SELECT FROM file d WHERE {where d}) FOR UPDATE;"))
        #expect(shadowed.first?.message.contains("{where d} is refused: d is table file there") == true, "\(shadowed)")
    }

    @Test("any other placeholder, and a placeholder outside the lock query, is refused when the file loads")
    func otherPlaceholders() {
        let misspelt = Packs.errors(PlaceholderPacks.rowFix(lock: "SELECT d.id AS scope FROM diskfile d WHERE {where d} AND {wher d} FOR UPDATE;"))
        #expect(misspelt.map(\.message) == ["fix present-mismatch (-- lock:): unknown placeholder {wher d}; the only placeholder is {where ALIAS}, ALIAS being the alias of diskfile in the query"])

        let inTarget = Packs.errors(PlaceholderPacks.rowFix(
            lock: "SELECT d.id AS scope FROM diskfile d WHERE {where d} FOR UPDATE;",
            target: "SELECT d.id, true AS present FROM diskfile d WHERE d.id = ANY($1::integer[]) AND {where d};"))
        #expect(inTarget.map(\.message) == ["fix present-mismatch (-- target:): {where d} is not replaced here; the only placeholder is {where ALIAS}, in a row fix's -- lock: query"])

        let inCheck = Packs.errors(PlaceholderPacks.rowFix(
            lock: "SELECT d.id AS scope FROM diskfile d WHERE {where d} FOR UPDATE;",
            check: "SELECT d.id FROM diskfile d WHERE {where d};"))
        #expect(inCheck.first?.message == "check present-mismatch: {where d} is not replaced here; the only placeholder is {where ALIAS}, in a row fix's -- lock: query")
    }

    @Test("a fix may only change a table its check's query reads")
    func fixTableReadByCheck() {
        let errors = Packs.errors(PlaceholderPacks.rowFix(
            lock: "SELECT q.id AS scope FROM ingestqueue q WHERE {where q} FOR UPDATE;", table: "ingestqueue",
            target: "SELECT q.id, true AS present FROM ingestqueue q WHERE q.id = ANY($1::integer[]);"))
        #expect(errors.map(\.message) == ["fix present-mismatch changes table ingestqueue (-- table:), which the query of check present-mismatch does not read (it reads diskfile, file); a fix may only change rows of a table its check reads"])
    }

    @Test("the built-in row fixes pass the same placeholder rules")
    func builtInFixes() {
        for fix in CheckCatalog.builtIn.packs.flatMap(\.fixes) {
            guard case .rows(let rowFix) = fix.kind else { continue }
            #expect(PackPlaceholder.problems(lock: rowFix.lock, table: rowFix.table).isEmpty, "\(fix.check)")
            #expect(PackPlaceholder.all(in: rowFix.lock).contains { $0.whereAlias != nil }, "\(fix.check)")
        }
    }

    @Test("{where ALIAS} is replaced outside strings and comments only")
    func substitution() {
        let sql = "SELECT 1 FROM diskfile d WHERE {where d} AND d.name <> '{where d}' -- {where d}\n"
        #expect(PackPlaceholder.substitutingWhere(in: sql) { "(\($0) OK)" }
                == "SELECT 1 FROM diskfile d WHERE (d OK) AND d.name <> '{where d}' -- {where d}\n")
    }
}

@Suite("check packs: a mis-aliased fix never runs")
struct MisaliasedFixTests {
    @Test("a pack whose fix's {where ALIAS} names the wrong table is refused at load, and \\fix --where changes no row")
    func refusedAndNothingChanges() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Packs.withFolder { folder in
            try Packs.write(PlaceholderPacks.rowFix(lock: PlaceholderPacks.misaliasedLock), to: folder + "/aliases.pack.sql")
            // Diskfile 10 belongs to file 9 in the sample: with {where f}, --where 'id = 10' would have
            // picked the diskfile of file 10 (diskfile 11) instead.
            try database.psql("UPDATE diskfile SET present = false WHERE id IN (10, 11)")
            #expect(try database.psql("SELECT string_agg(id || ':' || file_id, ',' ORDER BY id) FROM diskfile WHERE id IN (10, 11)") == "10:9,11:10")
            let digest = "SELECT md5(string_agg(to_jsonb(d)::text, ',' ORDER BY id)) FROM diskfile d"
            let before = try database.psql(digest)
            let result = CurateProcess.run(in: database, arguments: [
                "-X", "--plugin-dir", folder, "-c", "\\fix present-mismatch --where 'id = 10' --commit --yes",
            ])
            #expect(result.status != 0, "\(result)")
            #expect(result.stderr.contains("\(folder)/aliases.pack.sql:17: fix present-mismatch (-- lock:): {where f} is refused"), "\(result)")
            #expect(result.stderr.contains("allowed: {where d}"), "\(result)")
            #expect(try database.psql(digest) == before)
            #expect(try database.psql("SELECT to_regnamespace('curate') IS NULL") == "t")
        }
    }
}
