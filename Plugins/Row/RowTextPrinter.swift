import CurateChecks
import CurateKit

/// `\row`'s text form: the row in expanded display, each relation's rows numbered, the findings
/// and the fix history, every table in the user's `\pset` format.
struct RowTextPrinter {
    let context: CommandContext

    func print(_ report: RowReport, limit: Int?) {
        let console = context.console
        // The aligned formats end a table with an empty line (as psql); the others do not.
        let tablesEndWithGap = context.settings.format == .aligned || context.settings.format == .wrapped
        var needsGap = false
        func gap() {
            if needsGap { console.print("") }
            needsGap = false
        }
        func table(_ columns: [ColumnDescription], _ rows: [[String?]], _ settings: OutputSettings) {
            context.printTable(described: columns, rows: rows, settings: settings)
            needsGap = !tablesEndWithGap
        }
        console.print("\(report.table.displayName) \(report.address.keyText)")
        var expanded = context.settings
        expanded.expanded = .on
        table(report.row.shownColumns, report.row.rows.map { Array($0.dropFirst()) }, expanded)
        var listed = context.settings
        listed.footer = false
        for section in report.sections {
            gap()
            console.print(heading(section, in: report, limit: limit))
            if let note = section.note { console.print("  " + note) }
            needsGap = true
            guard !section.rows.rows.isEmpty else { continue }
            let columns = [ColumnDescription(name: "#", typeOID: TypeOID.int4)] + section.rows.shownColumns
            let rows = zip(section.numbers, section.rows.rows).map { number, row in [String(number)] + row.dropFirst() }
            table(columns, rows, listed)
        }
        gap()
        if report.findings.isEmpty {
            console.print("Findings: none of the loaded checks finds a problem with this row.")
            needsGap = true
        } else {
            console.print("Findings:")
            for finding in report.findings {
                gap()
                if let failure = finding.failure {
                    console.print("\(finding.check.name): could not run for this row: \(failure)")
                    needsGap = true
                    continue
                }
                console.print("\(finding.check.name) (\(finding.check.severity.rawValue)): \(finding.check.description)")
                let columns = finding.columns.map { ColumnDescription(name: $0.name, typeOID: $0.typeOID) }
                table(columns, finding.rows, listed)
            }
        }
        gap()
        if let note = report.history.note {
            console.print("Fix history: \(note).")
            needsGap = true
        } else if report.history.rows.isEmpty {
            console.print("Fix history: no fix has changed this row or the related rows listed.")
            needsGap = true
        } else {
            console.print("Fix history:")
            table(report.history.columns, report.history.rows, listed)
        }
        if report.sections.contains(where: { !$0.numbers.isEmpty }) {
            gap()
            console.print("\\row N shows related row N; \\back returns.")
        }
    }

    func heading(_ section: RelatedSection, in report: RowReport, limit: Int?) -> String {
        let parentTable = section.parentSection.map { report.sections[$0].relation.remote } ?? report.table
        var text = (section.relation.direction == .parent ? "Parent: " : "Children: ") + section.relation.title(local: parentTable)
        if let parent = section.parentSection {
            let numbers = report.sections[parent].numbers.map(String.init).joined(separator: ", ")
            text += ", of rows \(numbers)"
        }
        guard let count = section.count else { return text + ": not read" }
        text += ": \(count) row\(count == 1 ? "" : "s")"
        if count > section.rows.rows.count { text += ", the first \(section.rows.rows.count) listed (--all lists all)" }
        return text
    }
}
