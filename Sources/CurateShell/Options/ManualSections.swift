/// The parts of curate's man page that swift-argument-parser's `generate-manual` does not write
/// from `CurateOptions` (name, synopsis, description, options): the environment, the files, the
/// exit statuses and the backslash commands. `curate --help=manual` prints them in mdoc for
/// scripts/package to append; the commands come from the registry, the rest from the lists here,
/// which tests hold against the sources (every environment variable curate reads is listed).
enum ManualSections {
    /// Exit statuses and what they mean (also the `--help` discussion's sentence).
    static let exitStatuses: [(status: Int32, meaning: String)] = [
        (0, "success"),
        (1, "fatal error (bad file, bad option)"),
        (2, "connection failed or lost in a script"),
        (3, "a script stopped at an error or ended with its transaction open"),
    ]

    /// `Exit status: 0 success, 1 …` for `--help`.
    static var exitStatusSentence: String {
        "Exit status: " + exitStatuses.map { "\($0.status) \($0.meaning)" }.joined(separator: ", ") + "."
    }

    /// The environment variables curate reads, each with what it does. libpq's own (`PGHOST`…)
    /// are one entry: libpq reads them, curate reads a few of them too.
    static let environment: [(names: [String], meaning: String)] = [
        (["PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD", "PGPASSFILE", "PGSERVICE", "PGSSLMODE", "PGAPPNAME", "PGCLIENTENCODING"],
         "Connection defaults, read by libpq as for psql (and the rest of libpq's PG variables)."),
        (["HOME"], "The home folder: ~/.curaterc, ~/.curate_history, ~/.config and ~/.local/share below."),
        (["XDG_CONFIG_HOME"], "The user's plugin folder is $XDG_CONFIG_HOME/curate/plugins (default ~/.config/curate/plugins)."),
        (["XDG_DATA_HOME"], "The default backup folder is $XDG_DATA_HOME/curate/backups (default ~/.local/share/curate/backups)."),
        (["CURATE_PLUGIN_PATH"], "More plugin folders, separated by colons, searched after the user's plugin folder."),
        (["CURATE_PLUGIN_TIMEOUT"], "Seconds an external plugin may take to answer (\\set PLUGIN_TIMEOUT takes precedence)."),
        (["CURATE_BACKUP_DIR"], "The backup folder when neither --dir nor \\set BACKUP_DIR names one."),
        (["CURATE_PGBIN"], "The only folder \\backup and \\restore look in for pg_dump, pg_restore and psql (else: the server's version among /usr/lib/postgresql/N/bin, pg_config --bindir and PATH)."),
        (["CURATE_BACKUP_ENGINE"], "pg_dump or pgbackrest: the engine of \\backup and \\restore when neither --engine nor \\set BACKUP_ENGINE names one."),
        (["PGBACKREST_STANZA", "PGBACKREST_PG1_PATH"], "pgBackRest's stanza and data directory (read by pgBackRest, and by curate to name the stanza and to run pgBackRest as the data directory's owner); every PGBACKREST_* variable is passed on to pgBackRest."),
        (["PATH"], "Where the client programs and the pager, editor and shell are found."),
        (["PAGER"], "The pager for long results (as psql)."),
        (["PSQL_EDITOR", "EDITOR", "VISUAL"], "The editor for \\e, \\ef and \\ev, the first one set."),
        (["PSQL_EDITOR_LINENUMBER_ARG"], "How to pass a line number to the editor (as psql)."),
        (["SHELL"], "The shell \\! starts."),
        (["TMPDIR"], "Where temporary files go (\\e, backups in progress)."),
        (["COLUMNS"], "The width for the wrapped format when output is not a terminal."),
        (["NO_COLOR"], "When set (and not empty), no colours in interactive output."),
        (["TERM"], "dumb: no colours in interactive output."),
        (["USER"], "The operating-system user recorded in the audit table."),
    ]

    /// The files curate reads and writes, each with its use.
    static let files: [(path: String, meaning: String)] = [
        ("~/.curaterc", "The startup file: commands run before the session starts (not with -X)."),
        ("~/.curate_history", "The command history of interactive sessions (libedit's format)."),
        ("~/.pgpass, ~/.pg_service.conf", "Passwords and connection services, read by libpq."),
        ("<prefix>/share/curate/plugins", "Plugins and check packs installed with curate, for all its users (searched first)."),
        ("${XDG_CONFIG_HOME:-~/.config}/curate/plugins", "The user's plugins (curate-NAME executables) and check packs (NAME.pack.sql)."),
        ("${XDG_DATA_HOME:-~/.local/share}/curate/backups", "The default folder of \\backup and \\restore."),
        ("<prefix>/share/doc/curate", "The user, curation, backup and plugin guides."),
        ("the audit schema (curate, or \\set CURATE_AUDIT_SCHEMA)", "In the database: the record of every \\fix, kept across upgrades; curate migrates it when its layout changes, and says so once."),
    ]

    /// The sections in mdoc, after the ones generate-manual writes.
    static func mdoc(registry: CommandRegistry) -> String {
        var lines: [String] = []
        lines.append(".Sh BACKSLASH COMMANDS")
        lines.append(text("Anything typed that is not a backslash command is SQL, sent to the server when it ends with a semicolon. Inside curate, \\? lists the commands with the plugins of the session, and \\help NAME (or \\NAME --help) shows one command's usage and options. The commands of curate and its built-in plugins:"))
        lines.append(".Bl -tag -width 6n")
        for command in ListCommandsCommand.listedCommands(registry: registry) {
            lines.append(".It Sy " + text("\\" + command.name))
            lines.append(text(command.summary))
        }
        lines.append(".El")
        lines.append(".Sh ENVIRONMENT")
        lines.append(".Bl -tag -width 6n")
        for entry in environment {
            lines.append(".It " + entry.names.map { "Ev " + $0 }.joined(separator: " , "))
            lines.append(text(entry.meaning))
        }
        lines.append(".El")
        lines.append(".Sh FILES")
        lines.append(".Bl -tag -width 6n")
        for entry in files {
            lines.append(".It Pa " + text(entry.path))
            lines.append(text(entry.meaning))
        }
        lines.append(".El")
        lines.append(".Sh EXIT STATUS")
        lines.append(".Bl -tag -width 6n")
        for entry in exitStatuses {
            lines.append(".It \(entry.status)")
            lines.append(text(entry.meaning))
        }
        lines.append(".El")
        lines.append(".Sh SEE ALSO")
        lines.append(".Xr psql 1 ,")
        lines.append(".Xr pg_dump 1 ,")
        lines.append(".Xr pg_restore 1")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text safe in mdoc: a backslash is `\e`; a line never starts with a control character.
    static func text(_ string: String) -> String {
        let escaped = string.replacingOccurrences(of: "\\", with: "\\e")
        return escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped
    }
}
