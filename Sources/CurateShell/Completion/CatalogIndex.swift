/// A name as completion compares and shows it.
struct CompletionName: Sendable {
    /// Lower-cased: what an unquoted prefix is compared with (unquoted SQL names fold case).
    var key: String
    /// The name itself: what a prefix typed inside `"` is compared with, case-sensitively.
    var name: String
    /// The name as SQL: `diskfile`, `"ObsLog"`.
    var display: String

    init(_ name: String, quoteKeywords: Bool = true) {
        self.key = name.lowercased()
        self.name = name
        let plain = name.utf8.first.map { ($0 >= 97 && $0 <= 122) || $0 == UInt8(ascii: "_") } ?? false
            && name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "$") }
        if quoteKeywords {
            self.display = SQLIdentifier.quotedIfNeeded(name)
        } else {
            self.display = plain ? name : Self.quoted(name)
        }
    }

    /// Always in double quotes, for a prefix the person started with `"`.
    var quotedDisplay: String { Self.quoted(name) }

    static func quoted(_ name: String) -> String { "\"" + name.replacing("\"", with: "\"\"") + "\"" }

    static func sorted(_ names: [CompletionName]) -> [CompletionName] {
        names.sorted { $0.key != $1.key ? $0.key < $1.key : $0.name < $1.name }
    }
}

/// What the person has typed of a name: unquoted (compared case-insensitively) or after `"`.
struct NamePrefix: Sendable {
    var text: String
    var quoted: Bool
    var key: String { text.lowercased() }

    func matches(_ name: CompletionName) -> Bool {
        quoted ? name.name.hasPrefix(text) : name.key.hasPrefix(key)
    }

    func display(_ name: CompletionName) -> String {
        quoted ? name.quotedDisplay : name.display
    }
}

/// Sorted lookups over a `CatalogSnapshot`, built once (about 20 ms for 1,000 tables of 20
/// columns) so that each Tab is a binary search.
final class CatalogIndex: Sendable {
    let tables: [CatalogSnapshot.Table]
    /// Table names without schema, unique, sorted by key.
    let tableNames: [CompletionName]
    /// Every column name of every table, unique, sorted by key.
    let columnNames: [CompletionName]
    let schemaNames: [CompletionName]
    let functionNames: [CompletionName]
    /// Exact table name → positions in `tables` (one per schema that has it).
    let tablesByName: [String: [Int]]
    /// Exact schema name → its table names, sorted.
    let tableNamesBySchema: [String: [CompletionName]]

    init(_ snapshot: CatalogSnapshot) {
        tables = snapshot.tables
        var byName: [String: [Int]] = [:]
        var bySchema: [String: [String]] = [:]
        var columns: Set<String> = []
        for (position, table) in snapshot.tables.enumerated() {
            byName[table.name, default: []].append(position)
            bySchema[table.schema, default: []].append(table.name)
            columns.formUnion(table.columns)
        }
        tablesByName = byName
        tableNames = CompletionName.sorted(byName.keys.map { CompletionName($0) })
        columnNames = CompletionName.sorted(columns.map { CompletionName($0) })
        tableNamesBySchema = bySchema.mapValues { CompletionName.sorted(Set($0).map { CompletionName($0) }) }
        let schemas = Set(snapshot.schemas).union(snapshot.tables.map(\.schema))
        schemaNames = CompletionName.sorted(schemas.map { CompletionName($0) })
        functionNames = CompletionName.sorted(Set(snapshot.functions).map { CompletionName($0, quoteKeywords: false) })
    }

    /// The tables a reference names: `schema.name` exactly, a bare name in any schema.
    func tables(named name: String, schema: String?) -> [CatalogSnapshot.Table] {
        (tablesByName[name] ?? []).map { tables[$0] }.filter { schema == nil || $0.schema == schema }
    }

    /// The names in `sorted` (sorted by key) that start with `prefix`, at most `limit`: a binary
    /// search for an unquoted prefix, a scan for a quoted one.
    static func matching(_ sorted: [CompletionName], _ prefix: NamePrefix, limit: Int) -> [CompletionName] {
        guard limit > 0 else { return [] }
        if prefix.quoted { return Array(sorted.lazy.filter(prefix.matches).prefix(limit)) }
        let key = prefix.key
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].key < key { low = middle + 1 } else { high = middle }
        }
        var result: [CompletionName] = []
        while low < sorted.count, result.count < limit, sorted[low].key.hasPrefix(key) {
            result.append(sorted[low])
            low += 1
        }
        return result
    }
}
