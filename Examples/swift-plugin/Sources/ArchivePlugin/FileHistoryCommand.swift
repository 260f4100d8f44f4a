import ArgumentParser
import CurateKit

/// `\filehistory NAME`: every version of one archive file that was ever ingested, oldest first,
/// with its present and canonical flags and what looks wrong about it.
///
/// A file should have exactly one diskfile that is both canonical and present; concurrent ingests
/// and half-finished re-ingests break that. `\check` counts such files; this shows one of them.
struct FileHistoryCommand: CurateCommand {
    static let configuration = CommandConfiguration(
        commandName: "filehistory",
        abstract: "Every diskfile version of an archive file, with its present and canonical flags.",
        discussion: """
            NAME is the file's name (N20240629S0004.fits) or the filename of one of its diskfiles \
            (N20240629S0002.fits.bz2). The problem column marks versions that break the rule \
            "exactly one canonical, present diskfile per file".
            """
    )

    // Only reads: nothing to declare. (`capabilities` defaults to none, so `\filehistory` runs in a
    // read-only session and inside any transaction.)

    @Argument(help: "The file's name, or the filename of one of its diskfiles.")
    var name: String

    /// The files NAME may mean: the file of that name, or the files that have a diskfile of that
    /// filename. Two indexed lookups joined by UNION, so it stays fast on millions of rows. NAME is
    /// always a parameter (`$1`), never spliced into the SQL.
    static let matchingFiles = """
        SELECT id FROM file WHERE name = $1
        UNION
        SELECT file_id FROM diskfile WHERE filename = $1
        """

    static let history = """
        SELECT f.name AS file, d.id AS diskfile, d.filename, d.path, d.entrytime, d.file_size AS size,
               d.file_md5 AS md5, d.present, d.canonical,
               CASE
                   WHEN d.canonical AND count(*) FILTER (WHERE d.canonical) OVER (PARTITION BY d.file_id) > 1
                       THEN 'one of several canonical versions'
                   WHEN d.canonical AND NOT d.present THEN 'canonical but not on disk'
                   WHEN d.present AND NOT d.canonical THEN 'on disk but not canonical'
               END AS problem
        FROM diskfile d
        JOIN file f ON f.id = d.file_id
        WHERE d.file_id IN (\(matchingFiles))
        ORDER BY f.name, d.entrytime, d.id
        """

    func run(context: CommandContext) throws {
        let files = try context.session.execute(Self.matchingFiles, [name])
        guard !files.rows.isEmpty else {
            // A CommandError is printed as the user's error (and stops a script); the hint says what to do.
            throw CommandError(
                "no archive file named \"\(name)\"",
                hint: "names look like N20240629S0004.fits; list some with: SELECT name FROM file ORDER BY id DESC LIMIT 10;"
            )
        }
        // Streamed from the server straight to the renderer, in the user's format (aligned, csv,
        // json, \x, ...), whatever the number of versions.
        try context.printResults(of: Self.history, parameters: [name])
    }
}
