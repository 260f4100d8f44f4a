import Testing
@testable import CurateShell

/// The text rules of `\sf+`, `\ef FUNC LINE`, `\sv` and the type-name patterns of `\dT`/`\df`/`\do`,
/// checked against what psql 15's command.c and describe.c do.
@Suite("Function and view definitions, type-name patterns")
struct ObjectDefinitionTextTests {
    @Test("\\sf+ leaves a function's header unnumbered and numbers its body from AS")
    func numberedFunction() {
        let text = "CREATE OR REPLACE FUNCTION f()\n RETURNS integer\nAS $function$\nselect 1\n$function$\n"
        #expect(ObjectSource.numbered(text, isFunction: true) == """
                    CREATE OR REPLACE FUNCTION f()
                     RETURNS integer
            1       AS $function$
            2       select 1
            3       $function$

            """)
    }

    @Test("\\sf+ starts the body at BEGIN or RETURN for SQL-standard bodies")
    func numberedStandardBody() {
        #expect(ObjectSource.numbered("H\nBEGIN ATOMIC\n x;\nEND\n", isFunction: true)
            == "        H\n1       BEGIN ATOMIC\n2        x;\n3       END\n")
        #expect(ObjectSource.numbered("H\nRETURN 1\n", isFunction: true) == "        H\n1       RETURN 1\n")
    }

    @Test("\\sv+ numbers every line of a view, an empty line included")
    func numberedView() {
        #expect(ObjectSource.numbered("a\n\nb\n", isFunction: false) == "1       a\n2       \n3       b\n")
    }

    @Test("a number after a space or ) is \\ef's line; the name keeps what stood before it")
    func lineNumberSplit() throws {
        #expect(try ObjectEditing.lineNumberSplit("f 12")! == ("f ", 12))
        #expect(try ObjectEditing.lineNumberSplit("f(int)3")! == ("f(int)", 3))
        #expect(try ObjectEditing.lineNumberSplit("f 7  ")! == ("f ", 7))
        #expect(try ObjectEditing.lineNumberSplit("f12") == nil)
        #expect(try ObjectEditing.lineNumberSplit("12") == nil)
        #expect(try ObjectEditing.lineNumberSplit("f") == nil)
    }

    @Test("line 0 is refused with psql's message")
    func lineNumberZero() {
        #expect(throws: ShellFailure.self) { try ObjectEditing.lineNumberSplit("f 0") }
    }

    @Test("\\ef's line counts from the first body line")
    func headerLines() {
        #expect(ObjectEditing.headerLineCount("CREATE\n RETURNS x\n LANGUAGE sql\nAS $$\n") == 3)
        #expect(ObjectEditing.headerLineCount("CREATE\nRETURN 1\n") == 1)
    }

    @Test("view options are written as psql writes them: plain values bare, others (keywords too) quoted")
    func reloptions() {
        #expect(EditableObject.reloptions("{opt=plainword}") == "opt=plainword")
        #expect(EditableObject.reloptions("{security_barrier=true}") == "security_barrier='true'")
        #expect(EditableObject.reloptions("{a=1,\"b=x y\",c=it's}") == "a='1', b='x y', c='it''s'")
    }

    @Test("grammar-only type names map to the canonical names, case-insensitively; others are kept")
    func typeNames() {
        #expect(TypeNamePattern.mapped("int") == "integer")
        #expect(TypeNamePattern.mapped("FLOAT[]") == "double precision[]")
        #expect(TypeNamePattern.mapped("Decimal") == "numeric")
        #expect(TypeNamePattern.mapped("int4") == "int4")
        #expect(TypeNamePattern.mapped("Int*") == "Int*")
        #expect(TypeNamePattern.mapped(nil) == nil)
    }
}
