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
        printDescribed(try describeQuery(query), title: title)
    }
}
