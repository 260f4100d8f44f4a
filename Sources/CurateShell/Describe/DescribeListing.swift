import CurateKit

extension SlashOptionScanner {
    /// A describe command's pattern argument, read as psql reads it (a normal option, trailing
    /// unquoted semicolons dropped).
    mutating func describePattern() -> String? {
        next(.normal, semicolon: true)?.value
    }
}

extension Shell {
    /// The usual end of a psql list command: run the catalog query (shown under ECHO_HIDDEN),
    /// then print its result under `title` with NULL shown as empty.
    func listDescribed(_ query: String, title: String) throws {
        printDescribed(try describeResult(query), title: title)
    }

    /// `describeQuery` where psql fails the command when the query is only shown
    /// (ECHO_HIDDEN=noexec): its PSQLexec gives no result then, and the command returns false.
    func describeResult(_ query: String) throws -> QueryResult {
        guard let result = try describeQuery(query) else { throw ReportedFailure() }
        return result
    }

    /// psql's `formatPGVersionNumber` without the patch level: `15`, or `9.6` before 10.
    static func psqlMajorVersionText(_ version: Int) -> String {
        version >= 100000 ? "\(version / 10000)" : "\(version / 10000).\((version / 100) % 100)"
    }
}
