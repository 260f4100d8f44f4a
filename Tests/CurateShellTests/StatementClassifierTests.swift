import Testing
@testable import CurateShell
import CurateKit

private func actions(_ sql: String) -> [DestructiveAction] {
    StatementClassifier.destructiveActions(in: sql)
}

private func kinds(_ sql: String) -> [DestructiveAction.Kind] {
    actions(sql).map(\.kind)
}

@Suite struct StatementClassifierTests {
    // MARK: What pgcli misses (it looks only at the first word of the text)

    @Test("pgcli misses: a DELETE in the second statement of one text")
    func secondStatement() {
        #expect(actions("select 1; delete from t") == [
            DestructiveAction(kind: .deleteWithoutWhere, tables: ["t"], summary: "DELETE without WHERE on t"),
        ])
        #expect(kinds("select 1; truncate ingestqueue;") == [.truncate])
        #expect(kinds("delete from a; delete from b where id = 1; drop table c;") == [.deleteWithoutWhere, .drop])
    }

    @Test("pgcli misses: a comment in front of the statement (-- line and /* block */)")
    func leadingComments() {
        #expect(kinds("-- note\n/* x */ DELETE FROM t") == [.deleteWithoutWhere])
        #expect(kinds("/* tidy up */ update ingestqueue set inprogress = false;") == [.updateWithoutWhere])
        #expect(kinds("/* outer /* nested */ still comment */ TRUNCATE t") == [.truncate])
    }

    @Test("pgcli misses: a data-modifying DELETE inside WITH")
    func deleteInCTE() {
        #expect(actions("WITH x AS (DELETE FROM t RETURNING *) SELECT count(*) FROM x") == [
            DestructiveAction(kind: .deleteWithoutWhere, tables: ["t"], summary: "DELETE without WHERE on t"),
        ])
        // The outer SELECT's WHERE is not the DELETE's.
        #expect(kinds("WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x WHERE id > 3") == [.deleteWithoutWhere])
        #expect(kinds("WITH x AS (DELETE FROM t WHERE id = 1 RETURNING *) SELECT * FROM x") == [])
        #expect(kinds("with recursive a as (select 1), b as materialized (delete from t returning *) select 1") == [.deleteWithoutWhere])
    }

    @Test("pgcli misses: a data-modifying UPDATE inside WITH")
    func updateInCTE() {
        #expect(actions("WITH x AS (UPDATE t SET a=1 RETURNING *) SELECT * FROM x") == [
            DestructiveAction(kind: .updateWithoutWhere, tables: ["t"], summary: "UPDATE without WHERE on t"),
        ])
        #expect(kinds("WITH x AS (UPDATE t SET a = 1 WHERE id = 2) SELECT 1") == [])
    }

    @Test("the main statement after WITH queries is checked too")
    func mainStatementAfterWith() {
        #expect(kinds("WITH s AS (SELECT id FROM u WHERE bad) DELETE FROM t") == [.deleteWithoutWhere])
        #expect(kinds("WITH s AS (SELECT id FROM u WHERE bad) DELETE FROM t WHERE id IN (SELECT id FROM s)") == [])
        #expect(kinds("WITH a AS (DELETE FROM t1 RETURNING id) UPDATE t2 SET gone = true") == [.deleteWithoutWhere, .updateWithoutWhere])
    }

    @Test("pgcli misses: a DELETE inside a DO block or run by EXPLAIN ANALYZE")
    func doAndExplainAnalyze() {
        #expect(kinds("DO $$ BEGIN DELETE FROM t; END $$") == [.deleteWithoutWhere])
        #expect(kinds("do $body$\nbegin\n  if true then truncate t; end if;\n  update u set a = 1 where b;\nend\n$body$;") == [.truncate])
        #expect(kinds("DO 'BEGIN DROP TABLE x; END'") == [.drop])
        #expect(kinds("DO $$ BEGIN DELETE FROM t WHERE id = 1; END $$") == [])
        #expect(kinds("EXPLAIN ANALYZE DELETE FROM t") == [.deleteWithoutWhere])
        #expect(kinds("explain (analyze, buffers) update t set a = 1") == [.updateWithoutWhere])
        #expect(kinds("EXPLAIN DELETE FROM t") == [])
        #expect(kinds("EXPLAIN (ANALYZE false) DELETE FROM t") == [])
    }

    @Test("pgcli misses: COPY (DELETE ... RETURNING *) TO")
    func copyOfDelete() {
        #expect(kinds("COPY (DELETE FROM t RETURNING *) TO STDOUT") == [.deleteWithoutWhere])
    }

    // MARK: WHERE at the statement's own level

    @Test("a WHERE inside a subquery is not the DELETE's own (DELETE ... USING (select ... where))")
    func whereInSubquery() {
        #expect(kinds("DELETE FROM t USING (select * from u where u.x = 1) s") == [.deleteWithoutWhere])
        #expect(kinds("DELETE FROM t USING (select * from u where u.x = 1) s WHERE s.id = t.id") == [])
        #expect(kinds("UPDATE t SET a = (SELECT max(b) FROM u WHERE u.id = 3)") == [.updateWithoutWhere])
        #expect(kinds("UPDATE t SET a = u.b FROM u WHERE u.id = t.id") == [])
    }

    @Test("WHERE in a string literal, E'' string, quoted identifier, dollar quote or comment is not a WHERE")
    func hiddenWhere() {
        #expect(kinds("DELETE FROM t RETURNING 'where'") == [.deleteWithoutWhere])
        #expect(kinds("DELETE FROM t RETURNING 'it''s where'") == [.deleteWithoutWhere])
        #expect(kinds(#"DELETE FROM t RETURNING E'\' where'"#) == [.deleteWithoutWhere])
        #expect(kinds(#"DELETE FROM t RETURNING "where""#) == [.deleteWithoutWhere])
        #expect(kinds("DELETE FROM t RETURNING $$ where $$") == [.deleteWithoutWhere])
        #expect(kinds("DELETE FROM t RETURNING $tag$ where $$ $tag$") == [.deleteWithoutWhere])
        #expect(kinds("DELETE FROM t -- where id = 1") == [.deleteWithoutWhere])
        #expect(kinds("DELETE FROM t /* where id = 1 */") == [.deleteWithoutWhere])
        #expect(kinds("UPDATE t SET note = 'where' ") == [.updateWithoutWhere])
    }

    @Test("a ; inside a string, quoted identifier or comment does not end the statement")
    func semicolonsInside() {
        #expect(kinds("select 'a; delete from t'") == [])
        #expect(kinds("select 1 as \"x; drop table t\"") == [])
        #expect(kinds("select 1 /* ; truncate t */") == [])
        #expect(kinds("select $$; drop table t$$") == [])
    }

    @Test("DELETE ... WHERE CURRENT OF a cursor is fine")
    func whereCurrentOf() {
        #expect(kinds("DELETE FROM t WHERE CURRENT OF c") == [])
        #expect(kinds("UPDATE t SET a = 1 WHERE CURRENT OF c") == [])
    }

    // MARK: DROP, TRUNCATE, ALTER TABLE ... DROP

    @Test("DROP of any object")
    func drops() {
        #expect(actions("DROP TABLE header") == [DestructiveAction(kind: .drop, tables: ["header"], summary: "DROP TABLE header")])
        #expect(actions("drop table if exists public.a, \"B\" cascade") == [
            DestructiveAction(kind: .drop, tables: ["public.a", "B"], summary: "DROP TABLE public.a, \"B\" CASCADE"),
        ])
        #expect(actions("DROP SCHEMA archive CASCADE") == [DestructiveAction(kind: .drop, tables: [], summary: "DROP SCHEMA archive CASCADE")])
        #expect(actions("DROP INDEX CONCURRENTLY ix_name") == [DestructiveAction(kind: .drop, tables: [], summary: "DROP INDEX ix_name")])
        #expect(actions("DROP DATABASE fitsdata") == [DestructiveAction(kind: .drop, tables: [], summary: "DROP DATABASE fitsdata")])
        #expect(actions("DROP FUNCTION f(integer, text)") == [DestructiveAction(kind: .drop, tables: [], summary: "DROP FUNCTION f(integer, text)")])
        #expect(actions("DROP MATERIALIZED VIEW mv") == [DestructiveAction(kind: .drop, tables: [], summary: "DROP MATERIALIZED VIEW mv")])
        #expect(actions("DROP TRIGGER trg ON diskfile") == [DestructiveAction(kind: .drop, tables: [], summary: "DROP TRIGGER trg ON diskfile")])
        #expect(kinds("drop view v; drop sequence s; drop type ty; drop extension e; drop role r; drop owned by r") == [.drop, .drop, .drop, .drop, .drop, .drop])
    }

    @Test("TRUNCATE, TRUNCATE TABLE a, b, ONLY, CASCADE")
    func truncates() {
        #expect(actions("TRUNCATE diskfile") == [DestructiveAction(kind: .truncate, tables: ["diskfile"], summary: "TRUNCATE diskfile")])
        #expect(actions("TRUNCATE TABLE diskfile, header") == [
            DestructiveAction(kind: .truncate, tables: ["diskfile", "header"], summary: "TRUNCATE diskfile, header"),
        ])
        #expect(actions("truncate only a, only b * restart identity cascade") == [
            DestructiveAction(kind: .truncate, tables: ["a", "b"], summary: "TRUNCATE a, b CASCADE"),
        ])
    }

    @Test("ALTER TABLE ... DROP COLUMN / DROP CONSTRAINT")
    func alterTableDrop() {
        #expect(actions("ALTER TABLE t DROP COLUMN c") == [
            DestructiveAction(kind: .alterTableDrop, tables: ["t"], summary: "ALTER TABLE t DROP COLUMN c"),
        ])
        #expect(actions("alter table if exists only s.t add column x int, drop constraint t_pk, drop y cascade") == [
            DestructiveAction(kind: .alterTableDrop, tables: ["s.t"], summary: "ALTER TABLE s.t drop constraint t_pk, drop y cascade"),
        ])
        #expect(kinds("ALTER TABLE t ADD COLUMN c int") == [])
        #expect(kinds("ALTER TABLE t ADD \"drop\" int, ADD CONSTRAINT drop_check CHECK (x > 0)") == [])
        #expect(kinds("ALTER TABLE t ALTER COLUMN c DROP DEFAULT, ALTER COLUMN d DROP NOT NULL") == [])
        #expect(kinds("ALTER TABLE t RENAME COLUMN drop TO dropped") == [])
    }

    // MARK: Names

    @Test("table names: schema-qualified as written, quoted unquoted, unquoted folded to lower case")
    func tableNames() {
        #expect(actions("DELETE FROM public.diskfile") == [
            DestructiveAction(kind: .deleteWithoutWhere, tables: ["public.diskfile"], summary: "DELETE without WHERE on public.diskfile"),
        ])
        #expect(actions(#"DELETE FROM "Obs Log""#) == [
            DestructiveAction(kind: .deleteWithoutWhere, tables: ["Obs Log"], summary: #"DELETE without WHERE on "Obs Log""#),
        ])
        #expect(actions("delete from ONLY DiskFile") == [
            DestructiveAction(kind: .deleteWithoutWhere, tables: ["diskfile"], summary: "DELETE without WHERE on diskfile"),
        ])
        #expect(actions("UPDATE ONLY t * AS x SET a = 1") == [
            DestructiveAction(kind: .updateWithoutWhere, tables: ["t"], summary: "UPDATE without WHERE on t"),
        ])
        #expect(actions(#"update "we""ird" set a = 1"#).map(\.tables) == [[#"we"ird"#]])
    }

    // MARK: Not destructive

    @Test("SELECT, INSERT, UPDATE/DELETE with WHERE, CREATE are not destructive")
    func notDestructive() {
        #expect(kinds("SELECT * FROM diskfile") == [])
        #expect(kinds("INSERT INTO t VALUES (1)") == [])
        #expect(kinds("INSERT INTO t SELECT * FROM u ON CONFLICT (id) DO UPDATE SET a = excluded.a") == [])
        #expect(kinds("DELETE FROM t WHERE id = 3") == [])
        #expect(kinds("UPDATE t SET a = 1 WHERE id = 3") == [])
        #expect(kinds("CREATE TABLE t (id int REFERENCES u ON DELETE CASCADE ON UPDATE CASCADE)") == [])
        #expect(kinds("CREATE RULE r AS ON UPDATE TO t DO INSTEAD (DELETE FROM u)") == [])
        #expect(kinds("CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC DELETE FROM t; TRUNCATE u; END; SELECT 1") == [])
        #expect(kinds("CREATE FUNCTION f() RETURNS void AS $$ DELETE FROM t $$ LANGUAGE sql") == [])
        #expect(kinds("PREPARE p AS DELETE FROM t") == [])
        #expect(kinds("GRANT DELETE, TRUNCATE ON t TO someone") == [])
        #expect(kinds("SELECT * FROM t FOR UPDATE") == [])
        #expect(kinds("") == [])
        #expect(kinds(" ;; -- nothing\n") == [])
    }

    @Test("DROP, DELETE and UPDATE as column names or inside strings are not statements")
    func keywordsAsNames() {
        #expect(kinds("SELECT drop, delete, truncate FROM t") == [])
        #expect(kinds("select (update) from t where x") == [])
        #expect(kinds("SELECT 'DROP TABLE t; DELETE FROM u'") == [])
        #expect(kinds("INSERT INTO log (msg) VALUES ('truncate everything')") == [])
        #expect(kinds("COMMENT ON TABLE t IS 'drop me later'") == [])
    }

    @Test("an unfinished text is read as far as it goes")
    func unfinished() {
        #expect(kinds("DELETE FROM t WHERE note = 'unterminated") == [])
        #expect(kinds("DELETE FROM t RETURNING 'where") == [.deleteWithoutWhere])
        #expect(kinds("DELETE FROM") == [.deleteWithoutWhere])
    }

    // MARK: The tokenizer underneath

    @Test("tokenizer: E'' escapes, doubled quotes, dollar tags, nested comments, numbers, parameters")
    func tokenizer() {
        let sql = #"select E'it\'s; drop', 'a''b', $a$ x $$ y $a$, "q""x", /* a /* b */ c */ 1.5e-3, $1 -- end"#
        let tokens = SQLLexer.tokenize(sql).tokens
        #expect(tokens.map(\.kind) == [
            .word, .string, .punctuation, .string, .punctuation, .dollarString, .punctuation, .quotedIdentifier, .punctuation, .number, .punctuation, .parameter,
        ])
        #expect(tokens[7].identifier == #"q"x"#)
        #expect(tokens[5].text == "$a$ x $$ y $a$")
        #expect(SQLLexer.tokenize("select 1 /* open").endsInComment)
        #expect(SQLLexer.tokenize("select 'open").tokens.last?.isUnterminated == true)
    }

    @Test("tokenizer: statements split at ; outside parentheses and BEGIN ATOMIC bodies")
    func statementSplitting() {
        let tokens = SQLLexer.tokenize("select (1); CREATE PROCEDURE p() BEGIN ATOMIC select 1; select case when true then 1 end; END; select 3;").tokens
        #expect(SQLLexer.statementRanges(tokens).count == 3)
    }
}

/// Quoted text is read by bytes: a quote right after a prepended mark (U+06DD, which Swift joins
/// with the character after it into one Character) still closes or doubles.
@Suite("SQL lexer: quoted text")
struct SQLLexerQuotedTextTests {
    @Test("identifier and string values drop their quotes after a prepended mark")
    func quoteAfterPrependedMark() {
        let tokens = SQLLexer.tokenize("\"a\u{06DD}\" 'it''s\u{06DD}' $q$x\u{06DD}$q$ E'b\u{06DD}''' U&\"c\u{06DD}\"\"\"").tokens
        #expect(tokens.count == 5)
        #expect(tokens[0].identifier == "a\u{06DD}")
        #expect(tokens[1].stringValue == "it's\u{06DD}")
        #expect(tokens[2].stringValue == "x\u{06DD}")
        #expect(tokens[3].stringValue == "b\u{06DD}'")
        let quoteInName = "c\u{06DD}" + "\""  // built apart: the macro misquotes this literal
        #expect(tokens[4].identifier == quoteInName)
    }

    @Test("unterminated quoted text keeps everything after the opening quote")
    func unterminated() {
        #expect(SQLLexer.tokenize("'abc").tokens[0].stringValue == "abc")
        #expect(SQLLexer.tokenize("\"ab").tokens[0].identifier == "ab")
        #expect(SQLLexer.tokenize("$t$ab").tokens[0].stringValue == "ab")
        #expect(SQLLexer.tokenize("''").tokens[0].stringValue == "")
    }
}
