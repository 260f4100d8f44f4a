import ArgumentParser

/// A command of the shell (`\name args`), declared as an argument-parser type.
///
/// Its `configuration.commandName` is the name typed after the backslash and its `abstract` the
/// one-line summary that `\?` lists; usage and `--help` come from the declared arguments.
///
/// ```swift
/// struct Hello: CurateCommand {
///     static let configuration = CommandConfiguration(commandName: "hello", abstract: "Greet a table.")
///     @Argument var table: String
///     func run(context: CommandContext) throws {
///         let count = try context.session.execute("SELECT count(*) FROM \(context.session.quoteIdentifier(table))")
///         context.console.print("hello, \(count.rows[0][0] ?? "0") rows")
///     }
/// }
/// ```
public protocol CurateCommand: ParsableCommand {
    /// Everything the command may do beyond reading (listed by `\plugins` and in its help).
    static var capabilities: CommandCapabilities { get }

    /// What this invocation, with its parsed arguments, will do: the shell checks it after parsing
    /// and before `run`, and refuses a writing command in a read-only session and a
    /// no-transaction command inside an open transaction. Defaults to `capabilities`; a command
    /// whose listing or preview forms only read narrows it (`\fix history`, `\backup list`).
    var invocationCapabilities: CommandCapabilities { get }

    /// The same, for a command whose answer depends on its plugin's state (`\fix NAME` of a
    /// fix that cannot run in a transaction). The shell asks this one; it defaults to
    /// `invocationCapabilities`.
    func invocationCapabilities(context: CommandContext) -> CommandCapabilities

    /// Runs the parsed command in the shared session.
    mutating func run(context: CommandContext) throws

    /// Tab-completion candidates for an argument being typed (check names, backup files);
    /// option names come from the declared options without this.
    static func completions(for request: CompletionRequest) -> [String]
}

extension CurateCommand {
    public static var capabilities: CommandCapabilities { [] }
    public var invocationCapabilities: CommandCapabilities { Self.capabilities }
    public func invocationCapabilities(context: CommandContext) -> CommandCapabilities { invocationCapabilities }
    public static func completions(for request: CompletionRequest) -> [String] { [] }
}

/// What is being completed after a command's name.
public struct CompletionRequest {
    /// The complete words typed after the command name, before the one being completed.
    public let previousWords: [String]
    /// The partial word at the cursor.
    public let word: String
    /// The shell's variables (`BACKUP_DIR` and the like).
    public let variables: Variables
    /// The plugin instance that registered the command (its state: the checks it knows).
    public let plugin: (any CuratePlugin)?
    /// The tables (and views) Tab completion knows, as SQL names them (`file`, `audit.log`), from
    /// the shell's catalog cache.
    public let tables: [String]
    /// The session, only when no transaction is open (a completion query is then its own
    /// transaction and cannot disturb the user's); nil otherwise. Keep queries small and bounded
    /// (`\row`'s key values: an index range with a limit).
    public let idleSession: Session?

    package init(previousWords: [String], word: String, variables: Variables, plugin: (any CuratePlugin)? = nil,
                 tables: [String] = [], idleSession: Session? = nil) {
        self.previousWords = previousWords
        self.word = word
        self.variables = variables
        self.plugin = plugin
        self.tables = tables
        self.idleSession = idleSession
    }
}

/// What a command may do, declared by its author and enforced by the shell.
public struct CommandCapabilities: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Changes data or schema.
    public static let writesDatabase = CommandCapabilities(rawValue: 1 << 0)
    /// Cannot run inside a transaction block (`CREATE DATABASE`, `REINDEX ... CONCURRENTLY`).
    public static let requiresNoTransaction = CommandCapabilities(rawValue: 1 << 1)
    /// Starts other programs (pg_dump, pg_restore).
    public static let startsPrograms = CommandCapabilities(rawValue: 1 << 2)

    /// The capabilities' names, for `\plugins` and the external plugin protocol.
    public var names: [String] {
        var names: [String] = []
        if contains(.writesDatabase) { names.append("writes") }
        if contains(.requiresNoTransaction) { names.append("no-transaction") }
        if contains(.startsPrograms) { names.append("starts-programs") }
        return names
    }

    /// The inverse of `names`; nil for a name it does not know.
    public init?(names: [String]) {
        var capabilities: CommandCapabilities = []
        for name in names {
            switch name {
            case "writes": capabilities.insert(.writesDatabase)
            case "no-transaction": capabilities.insert(.requiresNoTransaction)
            case "starts-programs": capabilities.insert(.startsPrograms)
            default: return nil
            }
        }
        self = capabilities
    }
}
