import CurateKit

/// `-l` (`--list`): the databases, as psql 15 lists them for a server of version 15 or later
/// (its `listAllDbs` query and the title "List of databases"), then exit.
enum DatabaseList {
    static let title = "List of databases"

    /// psql's query for a server of version 15 and later (the columns differ before 15).
    static let query = """
        SELECT
          d.datname as "Name",
          pg_catalog.pg_get_userbyid(d.datdba) as "Owner",
          pg_catalog.pg_encoding_to_char(d.encoding) as "Encoding",
          d.datcollate as "Collate",
          d.datctype as "Ctype",
          d.daticulocale as "ICU Locale",
          CASE d.datlocprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS "Locale Provider",
          pg_catalog.array_to_string(d.datacl, E'\\n') AS "Access privileges"
        FROM pg_catalog.pg_database d
        ORDER BY 1;
        """

    /// Prints the list in the user's format and returns the exit status.
    static func print(_ shell: Shell) -> Int32 {
        guard shell.session.info.serverVersion >= 150000 else {
            shell.console.printError("curate: error: -l needs a server of version 15 or later (this one is \(shell.session.info.serverVersionString))")
            return 1
        }
        let result: QueryResult
        do {
            result = try shell.session.execute(query)
        } catch {
            shell.console.printError("curate: error: \(error)")
            return 1
        }
        // psql shows NULL as empty here whatever \pset null says.
        var settings = shell.makeContext(isInteractive: false).settings
        settings.nullDisplay = ""
        // Every format places the title as psql's printTable does (csv and json print none).
        settings.title = title
        shell.makeContext(isInteractive: false).print(result, settings: settings)
        shell.console.flush()
        return 0
    }
}
