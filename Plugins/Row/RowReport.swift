import CurateChecks
import CurateKit

/// The related rows of one relation.
struct RelatedSection {
    var relation: RowRelation
    /// 1: related to the row itself; 2: children of the related rows listed in `parentSection`.
    var level: Int
    var parentSection: Int?
    /// The total number of related rows; nil when they were not read (a relation without index
    /// on a large table).
    var count: Int?
    var rows: SelectedRows
    /// The number `\row N` takes for each listed row.
    var numbers: [Int]
    /// Why the relation was scanned or left out (no index).
    var note: String?
    /// The statement that would make the relation fast.
    var indexSuggestion: String?
}

/// The findings of one check that concern the row.
struct RowFindings {
    var check: CheckDefinition
    var columns: [FindingColumn]
    var rows: [[String?]]
    /// The check could not run for the row (why).
    var failure: String?
}

/// The audit records of fixes that touched the row or the related rows listed.
struct RowHistory {
    var columns: [ColumnDescription]
    var rows: [[String?]]
    /// No audit schema yet, or why it could not be read.
    var note: String?
}

/// Everything `\row` shows about one row.
struct RowReport {
    var table: RowTable
    var address: RowAddress
    var row: SelectedRows
    var sections: [RelatedSection]
    var findings: [RowFindings]
    var history: RowHistory
}
