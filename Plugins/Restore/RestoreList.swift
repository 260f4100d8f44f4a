import BackupPlugin

/// Builds a `pg_restore --use-list` for a subset of tables, so each one comes back whole: with
/// its defaults, sequences, constraints, indexes, triggers, policies, comments and grants, and
/// its foreign keys where the parent table comes back too. (`pg_restore -t` alone restores only
/// the table and its data, and still exits 0.)
public struct RestoreList {
    public struct Table: Hashable, Sendable, CustomStringConvertible {
        public var schema: String
        public var name: String
        public var description: String { "\(schema).\(name)" }
    }

    /// Entries that are settings, not objects: always kept.
    static let settings: Set<String> = ["ENCODING", "STDSTRINGS", "SEARCHPATH"]
    /// Objects a table may need, restored with a subset when the target database is new.
    static let supporting: Set<String> = [
        "SCHEMA", "EXTENSION", "TYPE", "SHELL TYPE", "DOMAIN", "FUNCTION", "PROCEDURE", "AGGREGATE", "COLLATION", "CAST",
        "OPERATOR", "OPERATOR CLASS", "OPERATOR FAMILY", "CONVERSION", "TEXT SEARCH CONFIGURATION", "TEXT SEARCH DICTIONARY",
        "TEXT SEARCH PARSER", "TEXT SEARCH TEMPLATE",
    ]
    static let tableTypes: Set<String> = ["TABLE", "VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE"]
    /// Entries whose tag starts with the table's name ("file", "file file_pkey").
    /// Those whose tag is the table's name and nothing else.
    static let wholeTagTypes: Set<String> = tableTypes.union(["TABLE DATA", "MATERIALIZED VIEW DATA", "ROW SECURITY"])
    static let tableTagged: Set<String> = [
        "TABLE", "TABLE DATA", "VIEW", "MATERIALIZED VIEW", "MATERIALIZED VIEW DATA", "FOREIGN TABLE", "DEFAULT", "CONSTRAINT",
        "CHECK CONSTRAINT", "TRIGGER", "POLICY", "ROW SECURITY", "RULE",
    ]

    public let entries: [TOCEntry]
    /// The SQL of each object, from `pg_restore --schema-only -f -`, keyed by "TYPE|SCHEMA|TAG".
    public let definitions: [String: String]

    public init(listing: String, schemaSQL: String) {
        entries = TOCEntry.parse(listing)
        definitions = Self.parseDefinitions(schemaSQL)
    }

    /// Splits pg_dump SQL at its "-- Name: TAG; Type: TYPE; Schema: SCHEMA; Owner: OWNER" headers.
    static func parseDefinitions(_ sql: String) -> [String: String] {
        var result: [String: String] = [:]
        var key: String?
        var body = ""
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("-- Name: ") || line.hasPrefix("-- Data for Name: ") {
                if let key { result[key, default: ""] += body }
                body = ""
                key = nil
                let fields = line.dropFirst(3).components(separatedBy: "; ")
                var values: [String: String] = [:]
                for field in fields {
                    if let colon = field.range(of: ": ") { values[String(field[..<colon.lowerBound])] = String(field[colon.upperBound...]) }
                }
                if let name = values["Name"], let type = values["Type"] { key = "\(type)|\(values["Schema"] ?? "-")|\(name)" }
            } else {
                body += line + "\n"
            }
        }
        if let key { result[key, default: ""] += body }
        return result
    }

    /// Every table-like object in the archive.
    public var tables: [Table] {
        entries.filter { Self.tableTypes.contains($0.type) }.map { Table(schema: $0.schema, name: $0.tag) }
    }

    /// The tables chosen by `--table` (NAME or SCHEMA.NAME) and `--schema`; throws naming one not found.
    public func select(tables names: [String], schemas: [String]) throws -> Set<Table> {
        var chosen = Set<Table>()
        for name in names {
            let matches = tables.filter { $0.name == name || "\($0.schema).\($0.name)" == name }
            guard !matches.isEmpty else { throw RestoreListError.noSuchTable(name) }
            chosen.formUnion(matches)
        }
        for schema in schemas {
            let matches = tables.filter { $0.schema == schema }
            guard !matches.isEmpty else { throw RestoreListError.noSuchSchema(schema) }
            chosen.formUnion(matches)
        }
        return chosen
    }

    /// pg_dump's identifier quoting (fmtId), without the keyword list.
    public static func quote(_ name: String) -> String {
        let plain = !name.isEmpty && name.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }
            && !(name.first!.isNumber)
        return plain ? name : "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func qualified(_ table: Table) -> String { quote(table.schema) + "." + quote(table.name) }

    private func definition(_ entry: TOCEntry) -> String { definitions["\(entry.type)|\(entry.schema)|\(entry.tag)"] ?? "" }

    /// A foreign key of a restored table that is left out: the table it references is not restored.
    public struct LeftOutForeignKey: Sendable, Equatable {
        /// The restored table the constraint belongs to.
        public var table: Table
        public var constraint: String
        /// The referenced table as the constraint's definition names it.
        public var referenced: String
    }

    /// The foreign keys of `tables` that `entries(for:)` leaves out, each with the table it references.
    public func leftOutForeignKeys(for tables: Set<Table>) -> [LeftOutForeignKey] {
        let tableSQL = tables.map(Self.qualified)
        return entries.compactMap { entry in
            guard entry.type == "FK CONSTRAINT",
                  let table = tables.first(where: { $0.schema == entry.schema && entry.tag.hasPrefix($0.name + " ") }) else { return nil }
            let sql = definition(entry)
            guard !tableSQL.contains(where: { sql.contains("REFERENCES \($0)(") }) else { return nil }
            let referenced = sql.components(separatedBy: "REFERENCES ").dropFirst().first?.split(separator: "(").first.map(String.init) ?? "?"
            return LeftOutForeignKey(table: table, constraint: String(entry.tag.dropFirst(table.name.count + 1)), referenced: referenced)
        }
    }

    /// The entries to restore for `tables`; with `newDatabase`, also the schemas, types,
    /// functions and extensions they may need.
    public func entries(for tables: Set<Table>, newDatabase: Bool) -> [TOCEntry] {
        let names = Set(tables.map { "\($0.schema)|\($0.name)" })
        // The tag is the table's name (TABLE, TABLE DATA...), or its name, a space and the object's
        // (CONSTRAINT...). A name may hold spaces itself, so it is never cut at the first one.
        func ofTable(_ entry: TOCEntry) -> Bool {
            tables.contains { table in
                table.schema == entry.schema && (entry.tag == table.name
                    || (!Self.wholeTagTypes.contains(entry.type) && entry.tag.hasPrefix(table.name + " ")))
            }
        }
        let tableSQL = tables.map(Self.qualified)
        // Sequences the tables use: in their defaults, owned by them, or as identity columns.
        var sequences = Set<String>()
        for entry in entries where entry.type.hasPrefix("SEQUENCE") || entry.type == "DEFAULT" {
            let sql = definition(entry)
            switch entry.type {
            case "DEFAULT" where ofTable(entry):
                for sequence in entries where sequence.type == "SEQUENCE" {
                    let name = "\(Self.quote(sequence.schema)).\(Self.quote(sequence.tag))"
                    if sql.contains("nextval('\(name)'") || sql.contains("nextval('\(sequence.tag)'") { sequences.insert("\(sequence.schema)|\(sequence.tag)") }
                }
            case "SEQUENCE OWNED BY", "SEQUENCE":
                if tableSQL.contains(where: { sql.contains(" OWNED BY \($0).") || sql.contains("ALTER TABLE \($0) ") || sql.contains("ALTER TABLE ONLY \($0) ") }) {
                    sequences.insert("\(entry.schema)|\(entry.tag)")
                }
            default:
                break
            }
        }
        return entries.filter { entry in
            if Self.settings.contains(entry.type) { return true }
            if newDatabase && Self.supporting.contains(entry.type) && !(entry.type == "SCHEMA" && entry.tag == "public") { return true }
            if newDatabase && (entry.type == "COMMENT" || entry.type == "ACL"),
               ["EXTENSION ", "SCHEMA ", "FUNCTION ", "TYPE ", "DOMAIN "].contains(where: { entry.tag.hasPrefix($0) }),
               entry.tag != "SCHEMA public" {
                return true
            }
            switch entry.type {
            case "FK CONSTRAINT":
                guard ofTable(entry) else { return false }
                return tableSQL.contains { definition(entry).contains("REFERENCES \($0)(") }
            case "INDEX":
                let sql = definition(entry)
                return tableSQL.contains { sql.contains(" ON \($0) ") || sql.contains(" ON ONLY \($0) ") }
            case "SEQUENCE", "SEQUENCE OWNED BY", "SEQUENCE SET":
                return sequences.contains("\(entry.schema)|\(entry.tag)")
            case "COMMENT", "ACL", "SECURITY LABEL":
                let words = entry.tag.split(separator: " ", maxSplits: 1).map(String.init)
                guard words.count == 2 else { return false }
                switch words[0] {
                case "TABLE", "VIEW", "MATERIALIZED":
                    let name = words[0] == "MATERIALIZED" ? String(words[1].dropFirst("VIEW ".count)) : words[1]
                    return names.contains("\(entry.schema)|\(name)")
                case "COLUMN":
                    return tables.contains { entry.schema == $0.schema && words[1].hasPrefix($0.name + ".") }
                case "SEQUENCE":
                    return sequences.contains("\(entry.schema)|\(words[1])")
                case "INDEX", "CONSTRAINT":
                    return false
                default:
                    return false
                }
            default:
                return Self.tableTagged.contains(entry.type) && ofTable(entry)
            }
        }
    }
}

public enum RestoreListError: Error, CustomStringConvertible {
    case noSuchTable(String)
    case noSuchSchema(String)

    public var description: String {
        switch self {
        case .noSuchTable(let name): return "the backup has no table \(name)"
        case .noSuchSchema(let name): return "the backup has no tables in schema \(name)"
        }
    }
}
