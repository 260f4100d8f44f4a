import ArgumentParser
import CurateKit
import Foundation

/// `\g [(option=value ...)] [FILE | |COMMAND]`: sends the query buffer (or, when it is empty, the
/// previous query), with `\pset` options for this query only, its output to a file or a program.
struct GoCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "g",
        abstract: "Send the query buffer (or the previous query) to the server.",
        discussion: "\\g [(OPTION=VALUE ...)] [FILE | |COMMAND]: \\pset options for this query only; its output to FILE or piped to COMMAND."
    )
    static let readsRawArguments = true

    @Argument(help: "(OPTION=VALUE ...), then FILE or |COMMAND.") var arguments: String?

    func run(shell: Shell) throws {
        try QuerySend.run(shell: shell, command: "g", arguments: arguments ?? "", expanded: false)
    }
}

/// `\gx`: `\g` with expanded output for this query.
struct GoExpandedCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "gx",
        abstract: "As \\g, with expanded output for this query.",
        discussion: "\\gx [(OPTION=VALUE ...)] [FILE | |COMMAND]"
    )
    static let readsRawArguments = true

    @Argument(help: "(OPTION=VALUE ...), then FILE or |COMMAND.") var arguments: String?

    func run(shell: Shell) throws {
        try QuerySend.run(shell: shell, command: "gx", arguments: arguments ?? "", expanded: true)
    }
}

/// `\gset [PREFIX]`: sends the query and stores its one row in variables named after the columns.
struct GsetCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "gset",
        abstract: "Send the query and store its one row in variables named PREFIX + column name (NULL unsets).")
    static let readsRawArguments = true

    @Argument(help: "PREFIX for the variable names.") var arguments: String?

    func run(shell: Shell) throws {
        guard let frame = shell.frames.last else { return }
        var scanner = QuerySend.scanner(arguments ?? "", shell: shell, frame: frame)
        let prefix = try QuerySend.readArgument(&scanner, shell: shell) ?? ""
        QuerySend.warnExtraArguments(&scanner, command: "gset", shell: shell, frame: frame)
        guard let statement = QuerySend.takeQuery(shell: shell, frame: frame) else { return }
        var result: QueryResult?
        shell.run(statement, in: frame) { sql in
            // Of several statements (`\;`), the last one's row is stored; the others print.
            result = try shell.session.executeKeepingLast(sql) { shell.makeContext(frame).print($0) }
        }
        guard let result else { return }
        if result.columns.isEmpty {
            QuerySend.printStatus(result.commandTag, shell: shell, frame: frame)
            return
        }
        try VariableAssignment.store(result, prefix: prefix, shell: shell, frame: frame)
        QuerySend.printStatusAfterRows(result.commandTag, shell: shell, frame: frame)
    }
}

/// `\gexec`: sends the query, then runs each value of its result as a statement, row by row,
/// column by column (NULLs are passed over).
struct GexecCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "gexec",
        abstract: "Send the query, then run each value of its result as a statement.")
    static let readsRawArguments = true

    @Argument(help: "None.") var arguments: String?

    func run(shell: Shell) throws {
        guard let frame = shell.frames.last else { return }
        var scanner = QuerySend.scanner(arguments ?? "", shell: shell, frame: frame)
        QuerySend.warnExtraArguments(&scanner, command: "gexec", shell: shell, frame: frame)
        guard let statement = QuerySend.takeQuery(shell: shell, frame: frame) else { return }
        var result: QueryResult?
        shell.run(statement, in: frame) { sql in result = try shell.session.execute(sql) }
        guard let result else { return }
        if result.columns.isEmpty {
            QuerySend.printStatus(result.commandTag, shell: shell, frame: frame)
            return
        }
        let previous = shell.lastStatement
        // \g after \gexec sends the \gexec query again, not the last value it ran (as psql).
        defer { shell.lastStatement = previous }
        let stopsOnError = frame.isInteractive && shell.variables.bool("ON_ERROR_STOP", default: false)
        run: for row in result.rows {
            for value in row.values {
                guard let value else { continue }
                if shell.variables["ECHO"] == "all" { shell.console.print(value) }
                shell.run(SQLStatement(text: value, firstLine: frame.source.lineNumber), in: frame)
                if shell.quitRequested || shell.stopStatus != nil || (shell.hadStatementError && stopsOnError) { break run }
            }
        }
        QuerySend.printStatusAfterRows(result.commandTag, shell: shell, frame: frame)
    }
}

/// `\gdesc`: the names and types of the query's result columns, without running it.
struct GdescCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "gdesc",
        abstract: "Describe the query's result (column names and types) without running it.")
    static let readsRawArguments = true

    @Argument(help: "None.") var arguments: String?

    func run(shell: Shell) throws {
        guard let frame = shell.frames.last else { return }
        var scanner = QuerySend.scanner(arguments ?? "", shell: shell, frame: frame)
        QuerySend.warnExtraArguments(&scanner, command: "gdesc", shell: shell, frame: frame)
        let statement = QuerySend.takeQuery(shell: shell, frame: frame) ?? SQLStatement(text: "", firstLine: frame.source.lineNumber)
        shell.lastStatement = statement.text.isEmpty ? shell.lastStatement : statement.text
        let columns: [(column: ColumnDescription, typeModifier: Int32)]
        do {
            columns = try shell.session.describeResult(of: statement.text)
        } catch {
            // psql's result variables follow \gdesc as they follow a statement.
            shell.setResultVariables(.failed(error))
            shell.report(error, in: frame, line: frame.source.lineNumber, statement: statement.text)
            return
        }
        guard !columns.isEmpty else {
            shell.setResultVariables(.succeeded(rowCount: "0"))
            shell.console.print("The command has no result, or the result has no columns.")
            return
        }
        // psql's own query: the server names the types (format_type), so they read as in \d.
        let values = columns.map { described in
            "(\(shell.session.quoteLiteral(described.column.name)), '\(described.column.typeOID)'::pg_catalog.oid, \(described.typeModifier))"
        }
        let sql = "SELECT name AS \"Column\", pg_catalog.format_type(tp, tpm) AS \"Type\"\nFROM (VALUES "
            + values.joined(separator: ",") + ") s(name, tp, tpm)"
        do {
            try shell.makeContext(frame).printResults(of: sql)
            shell.setResultVariables(.succeeded(rowCount: String(columns.count)))
        } catch {
            shell.setResultVariables(.failed(error))
            shell.report(error, in: frame, line: frame.source.lineNumber, statement: nil)
        }
    }
}

/// What `\g` and its relatives share: psql's reading of their arguments, the query they send,
/// and where its output goes.
enum QuerySend {
    /// Where `\g FILE` or `\g |COMMAND` sends the output.
    enum Target {
        case file(String)
        case pipe(String)
    }

    static func run(shell: Shell, command: String, arguments: String, expanded: Bool) throws {
        guard let frame = shell.frames.last else { return }
        var scanner = scanner(arguments, shell: shell, frame: frame)
        var options: [(name: String, value: String?)] = []
        var target = try readTarget(&scanner, shell: shell)
        if case .file(let first)? = target, first.hasPrefix("(") {
            options = try readOptions(first: String(first.dropFirst()), &scanner, command: command, shell: shell)
            target = try readTarget(&scanner, shell: shell)
        }
        let savedSettings = shell.settings
        let savedPager = shell.pager.mode
        defer {
            shell.settings = savedSettings
            shell.pager.mode = savedPager
        }
        for option in options {
            do {
                try PsetCommand.set(option.name, to: option.value, shell: shell, quiet: true)
            } catch let error as CommandError {
                throw ShellFailure("\\pset: " + error.message)
            }
        }
        if expanded { shell.settings.expanded = .on }
        warnExtraArguments(&scanner, command: command, shell: shell, frame: frame)
        guard let statement = takeQuery(shell: shell, frame: frame) else { return }
        try withOutput(to: target, shell: shell, statement: statement) {
            shell.run(statement, in: frame)
        }
    }

    /// The query to send: the buffer, or when it is empty the previous query (psql's rule).
    static func takeQuery(shell: Shell, frame: InputFrame) -> SQLStatement? {
        if let statement = frame.splitter.takeBuffer() { return statement }
        return shell.lastStatement.map { SQLStatement(text: $0, firstLine: frame.source.lineNumber) }
    }

    /// psql's reading of the arguments; an unterminated quote fails the command (`readArgument`).
    static func scanner(_ arguments: String, shell: Shell, frame: InputFrame) -> SlashOptionScanner {
        shell.slashOptionScanner(arguments, in: frame, line: frame.source.lineNumber, reportsProblems: false)
    }

    /// One argument, interpolated; nil when none is left.
    static func readArgument(_ scanner: inout SlashOptionScanner, shell: Shell) throws -> String? {
        let argument = scanner.next()
        if let problem = scanner.problem { throw ShellFailure(problem) }
        return argument?.value
    }

    /// `FILE` (`~` expanded) or `|COMMAND` (the rest of the line); nil when none is given.
    private static func readTarget(_ scanner: inout SlashOptionScanner, shell: Shell) throws -> Target? {
        if scanner.nextIsPipe, let text = scanner.next(.filePipe)?.value {
            return .pipe(String(text.dropFirst()))
        }
        guard let name = try readArgument(&scanner, shell: shell) else { return nil }
        if name == "~" || name.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            return .file(home + name.dropFirst())
        }
        return .file(name)
    }

    /// `(name=value name ...)`: up to the closing parenthesis.
    private static func readOptions(first: String, _ scanner: inout SlashOptionScanner, command: String, shell: Shell) throws -> [(name: String, value: String?)] {
        var options: [(name: String, value: String?)] = []
        var option = first
        while true {
            var closed = false
            if option.hasSuffix(")") {
                option.removeLast()
                closed = true
            }
            if !option.isEmpty {
                if let equals = option.firstIndex(of: "=") {
                    options.append((String(option[..<equals]), String(option[option.index(after: equals)...])))
                } else {
                    options.append((option, nil))
                }
            }
            if closed { return options }
            guard let next = try readArgument(&scanner, shell: shell) else {
                throw ShellFailure("\\\(command): missing right parenthesis")
            }
            option = next
        }
    }

    /// psql names the arguments a command does not take, and goes on.
    static func warnExtraArguments(_ scanner: inout SlashOptionScanner, command: String, shell: Shell, frame: InputFrame) {
        let extra = scanner.remaining()
        for argument in extra {
            shell.warn(message: "\\\(command): extra argument \"\(argument)\" ignored", in: frame, line: frame.source.lineNumber)
        }
    }

    /// Runs `body` with the results going to `target` (created 0600, as `\o` makes its files).
    private static func withOutput(to target: Target?, shell: Shell, statement: SQLStatement, _ body: () -> Void) throws {
        guard let target else {
            body()
            return
        }
        let console = shell.console
        let previous = console.isRedirected ? console.output : nil
        switch target {
        case .file(let path):
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                // As psql, which opens the file when the results arrive: the query runs, its
                // output goes nowhere, and the file's error follows unless the query failed.
                let failure = ShellFailure("\(path): \(String(cString: strerror(errno)))")
                let discard = open("/dev/null", O_WRONLY | O_CLOEXEC)
                console.redirect(to: OutputWriter(fileDescriptor: discard, ownsDescriptor: true))
                body()
                console.redirect(to: previous)
                if !shell.hadStatementError { throw failure }
                return
            }
            let writer = OutputWriter(fileDescriptor: descriptor, ownsDescriptor: true)
            console.redirect(to: writer)
            body()
            console.redirect(to: previous)
            writer.flush()
        case .pipe(let command):
            var descriptors: [Int32] = [0, 0]
            guard pipe(&descriptors) == 0 else { throw ShellFailure("could not open pipe: \(String(cString: strerror(errno)))") }
            _ = fcntl(descriptors[1], F_SETFD, FD_CLOEXEC)
            let pid = ShellCommandProcess.spawn(command, standardInput: descriptors[0])
            close(descriptors[0])
            guard let pid else {
                close(descriptors[1])
                shell.lastStatement = statement.text
                throw ShellFailure("could not execute command \"\(command)\": \(String(cString: strerror(errno)))")
            }
            do {
                let writer = OutputWriter(fileDescriptor: descriptors[1], ownsDescriptor: true)
                console.redirect(to: writer)
                body()
                console.redirect(to: previous)
                writer.flush()
            }
            // (The writer closed its end: the program sees the end of its input.)
            _ = ShellCommandProcess.wait(pid)
        }
    }

    /// A statement's status line (`CREATE TABLE`), as psql prints it for a result without rows.
    static func printStatus(_ tag: String, shell: Shell, frame: InputFrame) {
        guard !tag.isEmpty else { return }
        makeRenderer(settings: shell.makeContext(frame).settings, writer: shell.console.output).command(tag: tag)
    }

    /// After rows that were stored or run: psql still prints the status of INSERT, UPDATE,
    /// DELETE and MERGE ... RETURNING.
    static func printStatusAfterRows(_ tag: String, shell: Shell, frame: InputFrame) {
        guard ["INSERT", "UPDATE", "DELETE", "MERGE"].contains(where: { tag.hasPrefix($0) }) else { return }
        printStatus(tag, shell: shell, frame: frame)
    }
}

/// `\gset`'s rules for turning a row into variables (psql's `StoreQueryResults`).
enum VariableAssignment {
    /// Variables psql gives a meaning (hooks): `\gset` leaves them alone, with a warning.
    static let speciallyTreated: Set<String> = [
        "AUTOCOMMIT", "ON_ERROR_STOP", "QUIET", "SINGLELINE", "SINGLESTEP", "FETCH_COUNT", "HISTFILE", "HISTSIZE",
        "IGNOREEOF", "ECHO", "ECHO_HIDDEN", "ON_ERROR_ROLLBACK", "COMP_KEYWORD_CASE", "HISTCONTROL", "PROMPT1",
        "PROMPT2", "PROMPT3", "VERBOSITY", "SHOW_ALL_RESULTS", "SHOW_CONTEXT", "HIDE_TOAST_COMPRESSION", "HIDE_TABLEAM",
        // curate's own: leaving read-only mode asks first, which a query result cannot answer.
        "READONLY",
    ]

    /// psql's variable names: ASCII letters, digits and underscores, and any non-ASCII byte.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            byte >= 0x80 || byte == UInt8(ascii: "_") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        }
    }

    static func store(_ result: QueryResult, prefix: String, shell: Shell, frame: InputFrame) throws {
        guard result.rows.count == 1, let row = result.rows.first else {
            throw ShellFailure(result.rows.isEmpty ? "no rows returned for \\gset" : "more than one row returned for \\gset")
        }
        for (index, column) in result.columns.enumerated() {
            let name = prefix + column.name
            if speciallyTreated.contains(name) {
                shell.warn(message: "attempt to \\gset into specially treated variable \"\(name)\" ignored", in: frame, line: frame.source.lineNumber)
                continue
            }
            guard isValidName(name) else { throw ShellFailure("invalid variable name: \"\(name)\"") }
            shell.variables[name] = row[index]
        }
    }
}
