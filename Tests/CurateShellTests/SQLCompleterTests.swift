import Testing
@testable import CurateShell

private let catalog = CatalogSnapshot(
    tables: [
        .init(schema: "public", name: "diskfile", columns: ["id", "file_id", "filename", "canonical", "present", "lastmod"]),
        .init(schema: "public", name: "file", columns: ["id", "name"]),
        .init(schema: "public", name: "header", columns: ["id", "diskfile_id", "filter_name", "fits_verify", "observation_id"]),
        .init(schema: "public", name: "ObsLog", columns: ["Exposure Time", "night", "user"]),
        .init(schema: "archive", name: "old_diskfile", columns: ["id", "filename", "archived_at"]),
        .init(schema: "Staging Area", name: "incoming", columns: ["path"]),
    ],
    schemas: ["archive", "public", "Staging Area"],
    functions: ["count", "now", "left", "filesize_of"]
)

private func complete(_ text: String, after: String = "") -> [String] {
    SQLCompleter.candidates(for: text, textAfterCursor: after, catalog: catalog)
}

@Suite struct SQLCompleterTests {
    // MARK: Keywords

    @Test("keywords complete in the case typed: sel → select, SEL → SELECT, Sel → Select")
    func keywordCase() {
        #expect(complete("sel") == ["select"])
        #expect(complete("SEL") == ["SELECT"])
        #expect(complete("Sel") == ["Select"])
        #expect(complete("TRUNC") == ["TRUNCATE"])
        #expect(complete("select * from diskfile wher") == ["where"])
        #expect(complete("SELECT * FROM diskfile WHER") == ["WHERE"])
        #expect(complete("select * from diskfile whe") == ["when", "where"])
    }

    @Test("with nothing typed, keywords follow the case of the statement so far")
    func keywordCaseFromStatement() {
        #expect(complete("select * from diskfile ").first == "abort")
        #expect(complete("SELECT * FROM diskfile ").first == "ABORT")
        #expect(complete("select 1;\n").contains("select"))
        #expect(complete("").contains("SELECT"))
    }

    @Test("the first word of a statement is a statement keyword: de → deallocate, declare, delete")
    func statementStart() {
        #expect(complete("de") == ["deallocate", "declare", "delete"])
        #expect(complete("select 1; TR") == ["TRUNCATE"])
        #expect(complete("").count < 60)
    }

    @Test("a good list of PostgreSQL keywords")
    func keywordList() {
        for keyword in ["select", "insert", "update", "delete", "with", "returning", "materialized", "truncate", "vacuum", "explain", "analyze", "window", "lateral", "coalesce", "jsonb", "timestamptz"] {
            #expect(SQLKeywords.all.contains(keyword), "\(keyword)")
        }
        #expect(SQLKeywords.all == SQLKeywords.all.sorted())
        #expect(SQLKeywords.all.count > 450)
    }

    // MARK: Tables

    @Test("after FROM, JOIN, UPDATE, INTO, TABLE, TRUNCATE: table names and schemas")
    func tablePositions() {
        #expect(complete("select * from dis") == ["diskfile"])
        #expect(complete("select * from diskfile d join hea") == ["header"])
        #expect(complete("update dis") == ["diskfile"])
        #expect(complete("insert into fi") == ["file"])
        #expect(complete("drop table if exists dis") == ["diskfile"])
        #expect(complete("truncate table hea") == ["header"])
        #expect(complete("truncate hea") == ["header"])
        #expect(complete("select * from a") == ["archive."])
        #expect(complete("select * from diskfile, hea") == ["header"])
        #expect(complete("create index on dis") == ["diskfile"])
    }

    @Test("schema-qualified tables: public.dis → public.diskfile")
    func qualifiedTables() {
        #expect(complete("select * from public.dis") == ["public.diskfile"])
        #expect(complete("select * from archive.") == ["archive.old_diskfile"])
        #expect(complete("select * from ARCHIVE.old") == ["ARCHIVE.old_diskfile"])
        #expect(complete("select * from \"Staging Area\".in") == ["\"Staging Area\".incoming"])
    }

    @Test("\\d and its variants complete tables; \\dn schemas; \\df functions")
    func metaCommands() {
        #expect(SQLCompleter.candidates(for: "\\d dis", catalog: catalog) == ["diskfile"])
        #expect(SQLCompleter.candidates(for: "\\dt+ public.he", catalog: catalog) == ["public.header"])
        #expect(SQLCompleter.candidates(for: "\\dtvS+ dis", catalog: catalog) == ["diskfile"])
        #expect(SQLCompleter.candidates(for: "\\dPtn dis", catalog: catalog) == ["diskfile"])
        #expect(SQLCompleter.candidates(for: "\\dn ar", catalog: catalog) == ["archive"])
        #expect(SQLCompleter.candidates(for: "\\df file", catalog: catalog) == ["filesize_of"])
        #expect(SQLCompleter.candidates(for: "\\d", catalog: catalog) == [])
    }

    // MARK: Columns

    @Test("columns of the tables named in the statement come first: select fi| from diskfile")
    func preferredColumns() {
        // diskfile's columns first, then those of other tables, functions, keywords.
        #expect(complete("select fi", after: " from diskfile") == ["file_id", "filename", "filesize_of", "filter_name", "fits_verify", "filter", "finalize", "first"])
        #expect(complete("select * from header where fi") == ["filter_name", "fits_verify", "file_id", "filename", "filesize_of", "filter", "finalize", "first"])
        #expect(complete("SELECT canon") == ["canonical"])
    }

    @Test("column positions: SELECT, WHERE, AND, OR, SET, ON, BY, commas of a select list, operators, (")
    func columnPositions() {
        #expect(complete("select * from diskfile where present and canon") == ["canonical"])
        #expect(complete("select * from diskfile where present or canon") == ["canonical"])
        #expect(complete("update diskfile set canon") == ["canonical"])
        #expect(complete("select * from diskfile d join header h on diskfile_") == ["diskfile_id"])
        #expect(complete("select * from diskfile order by canon") == ["canonical"])
        #expect(complete("select * from diskfile group by canon") == ["canonical"])
        #expect(complete("select id, canon") == ["canonical"])
        #expect(complete("select * from diskfile where id=observation") == ["observation_id"])
        #expect(complete("insert into header (observation") == ["observation_id"])
        #expect(complete("select count(canon") == ["canonical"])
    }

    @Test("alias.column: d.can where diskfile d → d.canonical")
    func aliasColumns() {
        #expect(complete("select d.can", after: " from diskfile d") == ["d.canonical"])
        #expect(complete("select * from diskfile as d join header h on h.diskfile_id = d.") == ["d.canonical", "d.file_id", "d.filename", "d.id", "d.lastmod", "d.present"])
        #expect(complete("select * from diskfile d join header h on h.di") == ["h.diskfile_id"])
        #expect(complete("select diskfile.fi", after: " from diskfile") == ["diskfile.file_id", "diskfile.filename"])
        #expect(complete("select o.arch", after: " from archive.old_diskfile o") == ["o.archived_at"])
        #expect(complete("select public.diskfile.can") == ["public.diskfile.canonical"])
    }

    @Test("the statement being typed is the last one of the text, over several lines")
    func lastStatementMultiLine() {
        #expect(complete("select * from header;\nselect fi", after: " from diskfile").prefix(2) == ["file_id", "filename"])
        #expect(complete("select *\n  from diskfile\n where canon") == ["canonical"])
    }

    // MARK: Quoting

    @Test("names that need quotes are offered quoted")
    func quotedNames() {
        #expect(complete("select * from obs") == ["\"ObsLog\""])
        #expect(complete("select * from \"Obs") == ["\"ObsLog\""])
        #expect(complete("select * from \"obs") == [])  // inside quotes case matters
        #expect(complete("select exp", after: " from \"ObsLog\"") == ["\"Exposure Time\"", "explain", "expression"])
        #expect(complete("select us", after: " from \"ObsLog\"").first == "\"user\"")
        #expect(complete("select * from st") == ["\"Staging Area\"."])
    }

    @Test("the part of the editor's word before the name is kept: x::te → x::text")
    func keptPrefix() {
        #expect(complete("select x::te").contains("x::text"))
    }

    // MARK: Nothing to offer

    @Test("nothing inside a string, a comment or a dollar quote")
    func insideLiterals() {
        #expect(complete("select 'dis") == [])
        #expect(complete("select 1 -- from dis") == [])
        #expect(complete("select /* from dis") == [])
        #expect(complete("select $$ from dis") == [])
    }

    // MARK: Size

    @Test("candidates are unique and at most 200")
    func limits() {
        let all = complete("select ")
        #expect(all.count == SQLCompleter.maximumCandidates)
        #expect(Set(all).count == all.count)
        let ids = complete("select i", after: " from diskfile")
        #expect(ids.filter { $0 == "id" }.count == 1)
    }

    @Test("a catalog of 1,000 tables × 20 columns answers from its index")
    func largeCatalog() {
        let tables = (0..<1_000).map { number in
            CatalogSnapshot.Table(
                schema: number < 500 ? "public" : "archive",
                name: "table_\(number)",
                columns: (0..<20).map { "col_\(number)_\($0)" } + ["id"]
            )
        }
        let big = CatalogSnapshot(tables: tables, schemas: ["public", "archive"])
        #expect(SQLCompleter.candidates(for: "select * from table_99", catalog: big) == ["table_99", "table_990", "table_991", "table_992", "table_993", "table_994", "table_995", "table_996", "table_997", "table_998", "table_999"])
        #expect(SQLCompleter.candidates(for: "select col_7_1", catalog: big).prefix(3) == ["col_7_1", "col_7_10", "col_7_11"])
        #expect(SQLCompleter.candidates(for: "select t.col_512_1", catalog: big) == [])
        #expect(SQLCompleter.candidates(for: "select t.col_512_1", textAfterCursor: " from archive.table_512 t", catalog: big) == ["t.col_512_1", "t.col_512_10", "t.col_512_11", "t.col_512_12", "t.col_512_13", "t.col_512_14", "t.col_512_15", "t.col_512_16", "t.col_512_17", "t.col_512_18", "t.col_512_19"])
        #expect(SQLCompleter.candidates(for: "select c", catalog: big).count == SQLCompleter.maximumCandidates)
        for _ in 0..<100 {
            _ = SQLCompleter.candidates(for: "select col_3", textAfterCursor: " from table_3 join table_4 on", catalog: big)
        }
    }

    @Test("a changed snapshot gets a fresh index")
    func snapshotChange() {
        var snapshot = catalog
        #expect(SQLCompleter.candidates(for: "select * from newt", catalog: snapshot) == [])
        snapshot.tables.append(.init(schema: "public", name: "newtable", columns: []))
        #expect(SQLCompleter.candidates(for: "select * from newt", catalog: snapshot) == ["newtable"])
        #expect(SQLCompleter.candidates(for: "select * from newt", catalog: catalog) == [])
    }
}
