// Temporary stand-ins until the completion engine and the statement classifier land.
struct CatalogSnapshot: Sendable {
    struct Table: Sendable { var schema: String; var name: String; var columns: [String] }
    var tables: [Table]
    var schemas: [String]
    var functions: [String]
    init(tables: [Table], schemas: [String], functions: [String] = []) {
        self.tables = tables
        self.schemas = schemas
        self.functions = functions
    }
}
enum SQLCompleter {
    static func candidates(for textBeforeCursor: String, catalog: CatalogSnapshot) -> [String] { [] }
}
struct DestructiveAction: Equatable, Sendable {
    enum Kind: Equatable, Sendable { case deleteWithoutWhere, updateWithoutWhere, drop, truncate, alterTableDrop }
    var kind: Kind
    var tables: [String]
    var summary: String
}
enum StatementClassifier {
    static func destructiveActions(in sql: String) -> [DestructiveAction] { [] }
}
