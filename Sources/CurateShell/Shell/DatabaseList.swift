import CurateKit

/// `-l` (`--list`): psql's `listAllDbs`, as `\l` prints it, then exit (1 when it failed).
enum DatabaseList {
    /// Prints the list in the user's format and returns the exit status.
    static func print(_ shell: Shell) -> Int32 {
        do {
            try ListDatabasesCommand.list(pattern: nil, verbose: false, shell: shell)
            return 0
        } catch is ReportedFailure {
            // ECHO_HIDDEN=noexec: the query was shown, not run.
        } catch let failure as ShellFailure {
            shell.console.printError("curate: error: \(failure.message)")
        } catch {
            shell.console.printError("curate: error: \(error)")
        }
        shell.console.flush()
        return 1
    }
}
