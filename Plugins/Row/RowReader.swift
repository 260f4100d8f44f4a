import CurateChecks
import CurateKit
import Foundation

/// How much `\row` reads.
struct RowReadOptions {
    /// Related rows listed per relation; nil: all.
    var limit: Int?
    /// Read relations without an index even on large tables.
    var scanUnindexed: Bool
    /// Tables up to this many pages are scanned when a relation has no index (with a note).
    var scanPages: Int
}

/// Reads a row and everything `\row` shows beside it, in the open (read-only) transaction.
struct RowReader {
    let context: CommandContext
    let catalog: CheckCatalog
    let tables: RowTableCatalog
    let options: RowReadOptions
    var session: Session { context.session }
    var select: RowSelect { RowSelect(session: session) }

    init(context: CommandContext, catalog: CheckCatalog, tables: RowTableCatalog, options: RowReadOptions) {
        self.context = context
        self.catalog = catalog
        self.tables = tables
        self.options = options
    }

    /// The report of the row at `address`; nil when it no longer exists.
    func report(_ address: RowAddress) throws -> RowReport? {
        let table = try tables.table(oid: address.tableOID)
        let row = try select.rows(of: table, columns: address.columns, tuples: [address.values], limit: 1)
        guard let values = row.rows.first else { return nil }
        let finder = RowRelationFinder(session: session, tables: tables, declared: catalog.relations)
        var sections: [RelatedSection] = []
        var number = 0
        func add(_ section: RelatedSection) {
            var section = section
            section.numbers = Array((number + 1)..<(number + 1 + section.rows.rows.count))
            number += section.rows.rows.count
            sections.append(section)
        }
        for relation in try finder.relations(of: table) {
            let tuple = relation.localColumns.map { row.value(values, of: $0) }
            let section = try related(relation, tuples: [tuple], level: 1, parentSection: nil)
            add(section)
            // One level further down, right after them: the children of the children listed
            // through a foreign key (a file's diskfiles' headers).
            guard relation.direction == .child, relation.declaredBy == nil, !section.rows.rows.isEmpty else { continue }
            let parentIndex = sections.count - 1
            for grandchild in try finder.relations(of: relation.remote) where grandchild.direction == .child && grandchild.declaredBy == nil {
                let tuples = section.rows.rows.map { child in grandchild.localColumns.map { section.rows.value(child, of: $0) } }
                add(try related(grandchild, tuples: tuples, level: 2, parentSection: parentIndex))
            }
        }
        let findings = try RowFindingsReader(context: context, catalog: catalog, tables: tables).findings(of: table, row: row, values: values)
        var touched = [address]
        for section in sections {
            for related in section.rows.rows where section.relation.remote.primaryKey?.count == 1 {
                let relatedAddress = section.rows.address(of: related, in: section.relation.remote)
                if !touched.contains(relatedAddress) { touched.append(relatedAddress) }
            }
        }
        let history = try RowHistoryReader(context: context, tables: tables).history(of: touched)
        return RowReport(table: table, address: address, row: row, sections: sections, findings: findings, history: history)
    }

    /// The rows of `relation` for the tuples, counted and the first listed; a relation with no
    /// index on a table larger than `scanPages` is not read (unless `scanUnindexed`): it says so
    /// and proposes the index.
    func related(_ relation: RowRelation, tuples: [[String?]], level: Int, parentSection: Int?) throws -> RelatedSection {
        let remote = relation.remote
        var section = RelatedSection(relation: relation, level: level, parentSection: parentSection, count: nil,
                                     rows: SelectedRows(columns: [], rows: []), numbers: [])
        if !remote.hasIndex(leadingWith: relation.remoteColumns) {
            let columns = try session.execute("SELECT pg_catalog.string_agg(pg_catalog.quote_ident(c), ', ' ORDER BY n) FROM unnest($1::text[]) WITH ORDINALITY AS u(c, n)",
                                              [Self.textArray(relation.remoteColumns)]).rows.first?[0] ?? ""
            section.indexSuggestion = "CREATE INDEX CONCURRENTLY ON \(remote.qualifiedName) (\(columns))"
            let size = try select.size(of: remote)
            let about = size.estimatedRows.map { "about \($0) row\($0 == 1 ? "" : "s"), " } ?? ""
            let pages = "\(size.pages) page\(size.pages == 1 ? "" : "s")"
            let fix = relation.constraint != nil ? "\\fix fk-without-index creates it" : "an index would make it fast"
            if size.pages > options.scanPages && !options.scanUnindexed {
                section.note = "not indexed: not read, it would scan \(remote.displayName) (\(about)\(pages)); \(fix): \(section.indexSuggestion!); --scan reads it anyway"
                return section
            }
            section.note = "not indexed: \(remote.displayName) was scanned (\(about)\(pages)); \(fix): \(section.indexSuggestion!)"
        }
        section.rows = try select.rows(of: remote, columns: relation.remoteColumns, tuples: tuples, limit: options.limit)
        if let limit = options.limit, section.rows.rows.count >= limit {
            section.count = try select.count(of: remote, columns: relation.remoteColumns, tuples: tuples)
        } else {
            section.count = section.rows.rows.count
        }
        return section
    }

    /// A text array literal of `values`.
    static func textArray(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }
}
