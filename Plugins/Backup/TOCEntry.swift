/// One line of `pg_restore --list`: `215; 1259 16390 TABLE public file postgres`.
public struct TOCEntry: Sendable, Equatable {
    public var line: String
    public var dumpID: Int
    /// "TABLE", "TABLE DATA", "INDEX", "FK CONSTRAINT", "SEQUENCE SET", ...
    public var type: String
    /// "-" for objects without one.
    public var schema: String
    /// The tag: "file", "file file_pkey" (table and constraint), "COLUMN file.name" (comments).
    public var tag: String
    public var owner: String

    static let types = [
        "TABLE DATA", "TABLE ATTACH", "TABLE", "FK CONSTRAINT", "CHECK CONSTRAINT", "CONSTRAINT", "SEQUENCE OWNED BY", "SEQUENCE SET",
        "SEQUENCE", "INDEX ATTACH", "INDEX", "DEFAULT ACL", "DEFAULT", "TRIGGER", "COMMENT", "ACL", "POLICY", "ROW SECURITY", "RULE",
        "MATERIALIZED VIEW DATA", "MATERIALIZED VIEW", "VIEW", "SCHEMA", "EXTENSION", "FUNCTION", "PROCEDURE", "AGGREGATE", "TYPE",
        "DOMAIN", "COLLATION", "CONVERSION", "LARGE OBJECT", "BLOB", "BLOBS", "STATISTICS", "EVENT TRIGGER", "PUBLICATION TABLE",
        "PUBLICATION", "SUBSCRIPTION", "OPERATOR CLASS", "OPERATOR FAMILY", "OPERATOR", "CAST", "TEXT SEARCH CONFIGURATION",
        "TEXT SEARCH DICTIONARY", "TEXT SEARCH PARSER", "TEXT SEARCH TEMPLATE", "FOREIGN TABLE", "FOREIGN DATA WRAPPER", "SERVER",
        "USER MAPPING", "ENCODING", "STDSTRINGS", "SEARCHPATH", "DATABASE PROPERTIES", "DATABASE", "SHELL TYPE",
    ]

    /// Whether the entry has a data block in the archive to read (table rows, large objects).
    public var carriesData: Bool { type == "TABLE DATA" || type == "BLOBS" }

    /// The dump ID at the start of any entry line of a listing, also one `parse(line:)` cannot
    /// read; nil for comments and other lines.
    public static func dumpID(ofLine line: some StringProtocol) -> Int? {
        guard !line.hasPrefix(";"), let semicolon = line.firstIndex(of: ";") else { return nil }
        return Int(line[..<semicolon])
    }

    /// The entries of a listing (comment lines starting with ';' are skipped).
    public static func parse(_ listing: String) -> [TOCEntry] {
        listing.split(separator: "\n").compactMap { parse(line: String($0)) }
    }

    public static func parse(line: String) -> TOCEntry? {
        guard !line.hasPrefix(";"), let semicolon = line.firstIndex(of: ";"), let id = Int(line[..<semicolon]) else { return nil }
        // After "ID; CATALOG OID ": the type, schema, tag, owner.
        let fields = line[line.index(after: semicolon)...].split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard fields.count == 3 else { return nil }
        let rest = String(fields[2])
        guard let type = types.first(where: { rest.hasPrefix($0 + " ") }) else { return nil }
        var words = rest.dropFirst(type.count + 1).split(separator: " ").map(String.init)
        guard words.count >= 2 else { return nil }
        let schema = words.removeFirst()
        let owner = words.count >= 2 ? words.removeLast() : ""
        return TOCEntry(line: line, dumpID: id, type: type, schema: schema, tag: words.joined(separator: " "), owner: owner)
    }
}
