import Testing
@testable import CurateShell
import CurateKit

@Suite("guard: constant conditions and the writes only the server can judge")
struct GuardConditionTests {
    func judge(_ condition: String) -> ConstantCondition {
        ConstantCondition.judge(SQLLexer.tokenize(condition).tokens[...])
    }

    @Test("always true, always false, or depending on the row")
    func constants() {
        for condition in ["true", "TRUE", "1=1", "1 = 1", "'a' = 'a'", "NOT false", "(true)", "((1 = 1))", "2 > 1", "1 <> 2", "1 != 2",
                          "1 = 1 OR id > 5", "true AND 1 = 1", "x = 1 OR true", "1.5 >= 1.5"] {
            #expect(judge(condition) == .alwaysTrue, "\(condition)")
        }
        for condition in ["false", "1 = 2", "NOT true", "false AND x = 1", "'a' = 'b'", "false OR 1 = 0"] {
            #expect(judge(condition) == .alwaysFalse, "\(condition)")
        }
        for condition in ["id = 1", "x = x", "1 = 1 AND id = 3", "now() > '2000-01-01'", "'a' < 'b'", "id BETWEEN 1 AND 2", "E'a' = 'a'"] {
            #expect(judge(condition) == .unknown, "\(condition)")
        }
    }

    @Test("WHERE true and its kin count as no WHERE")
    func alwaysTrueIsNoWhere() {
        #expect(StatementClassifier.destructiveActions(in: "delete from t where 1=1") == [
            DestructiveAction(kind: .deleteWithoutWhere, tables: ["t"], summary: "DELETE whose WHERE is always true (WHERE 1 = 1) on t"),
        ])
        #expect(StatementClassifier.destructiveActions(in: "update t set a = 1 where true returning *").map(\.kind) == [.updateWithoutWhere])
        #expect(StatementClassifier.destructiveActions(in: "delete from t where false").isEmpty)
        #expect(StatementClassifier.destructiveActions(in: "delete from t where id = 1").isEmpty)
    }

    @Test("DELETEs become a SELECT of the rows they delete; USING is a join; RETURNING and CURRENT OF are left out")
    func conditionalWrites() {
        let writes = StatementClassifier.conditionalWrites(in: "delete from only public.file as f using diskfile d where d.file_id = f.id returning f.id; update t set a = 1 where b = 2; delete from x where true")
        #expect(writes.count == 2)
        #expect(writes[0] == ConditionalWrite(kind: .delete, table: "public.file", display: "public.file", hasWhere: true,
                                              statement: "delete from only public.file as f using diskfile d where d.file_id = f.id returning f.id",
                                              reference: "f", from: "only public.file as f, diskfile d where d.file_id = f.id"))
        #expect(writes[1].kind == .update && writes[1].statement == "update t set a = 1 where b = 2")
        let plain = StatementClassifier.conditionalWrites(in: "DELETE FROM \"Big Table\"")
        #expect(plain.first?.reference == "\"Big Table\"" && plain.first?.from == "\"Big Table\"" && plain.first?.hasWhere == false)
        #expect(StatementClassifier.conditionalWrites(in: "delete from t where current of c").first?.from == nil)
    }
}
