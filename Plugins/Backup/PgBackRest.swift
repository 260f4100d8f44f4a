import CurateKit
import Foundation

/// pgBackRest, as curate runs it: found on `PATH`, run as the user who owns the cluster, for one
/// stanza. Its configuration (repository, pg1-path, ...) is pgBackRest's own: its config file
/// or its `PGBACKREST_*` environment variables, which the child inherits.
///
/// pgBackRest must run as the cluster's owner: its repository files and the ones
/// `archive-push` writes from the server must belong to one user. When curate runs as root
/// (as in CI) it runs pgBackRest as the owner of the data directory through
/// `runuser -u OWNER --`; as any other user it runs pgBackRest as itself. `\set
/// PGBACKREST_COMMAND 'sudo -n -u postgres pgbackrest'` replaces both with a command of the
/// user's (split on spaces).
public struct PgBackRest {
    /// The stanza every command names (`--stanza`).
    public let stanza: String
    /// The words that start pgBackRest (the program last), e.g. `runuser -u postgres -- /usr/bin/pgbackrest`.
    public let command: [String]
    /// The user the cluster's files belong to, when curate switches to it (root only).
    public let runAs: String?

    /// A failure of a pgBackRest command: its error lines.
    public struct Failure: Error, CustomStringConvertible {
        public var command: String
        public var status: Int32
        public var lines: [String]
        public var description: String {
            "pgbackrest \(command) failed (exit status \(status))" + (lines.isEmpty ? "" : ":\n" + lines.joined(separator: "\n"))
        }
    }

    /// Resolves the program, the user and the stanza. `stanza`: the `--stanza` option, else
    /// `\set PGBACKREST_STANZA`, else `$PGBACKREST_STANZA`, else the only stanza of the repository.
    public init(stanza option: String?, context: CommandContext) throws {
        let environment = ProcessInfo.processInfo.environment
        if let custom = context.variables["PGBACKREST_COMMAND"], !custom.isEmpty {
            command = custom.split(separator: " ").map(String.init)
            runAs = nil
        } else {
            guard let program = ProgramPath.find("pgbackrest") else {
                throw CommandError("pgbackrest not found on PATH: \\backup --engine pgbackrest drives pgBackRest, it does not replace it",
                                   hint: "install the Debian package pgbackrest (apt-get install pgbackrest; scripts/install-deps.sh does)")
            }
            let owner = getuid() == 0 ? Self.clusterOwner(context: context) : nil
            if let owner {
                command = [Self.runuser, "-u", owner, "--", program]
            } else {
                command = [program]
            }
            runAs = owner
        }
        let named = [option, context.variables["PGBACKREST_STANZA"], environment["PGBACKREST_STANZA"]]
            .compactMap { $0 }.first { !$0.isEmpty }
        if let named {
            stanza = named
        } else {
            // No name anywhere: the repository's only stanza, or a message naming them.
            let probe = PgBackRest(stanza: "", command: command, runAs: runAs)
            let all = try probe.infoAll(context: context)
            guard all.count == 1 else {
                throw CommandError(all.isEmpty ? "no pgBackRest stanza is named and the repository has none"
                                       : "the repository has \(all.count) stanzas (\(all.map(\.name).joined(separator: ", "))): name one",
                                   hint: "--stanza NAME, \\set PGBACKREST_STANZA NAME, or the environment variable PGBACKREST_STANZA")
            }
            stanza = all[0].name
        }
    }

    private init(stanza: String, command: [String], runAs: String?) {
        self.stanza = stanza
        self.command = command
        self.runAs = runAs
    }

    public static var runuser: String { FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser" }

    /// The owner of the cluster's data directory ($PGBACKREST_PG1_PATH, else the server's
    /// `data_directory` when the session may read it), else `postgres` (PostgreSQL never runs as root).
    public static func clusterOwner(context: CommandContext) -> String? {
        var folder = ProcessInfo.processInfo.environment["PGBACKREST_PG1_PATH"].flatMap { $0.isEmpty ? nil : $0 }
        if folder == nil, let row = try? context.session.execute("SELECT current_setting('data_directory', true)").rows.first {
            folder = row[0]
        }
        return folder.flatMap(owner(of:)) ?? "postgres"
    }

    /// The user name owning `path`; nil when it is root or the path cannot be read.
    public static func owner(of path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let name = attributes[.ownerAccountName] as? String, name != "root" else { return nil }
        return name
    }

    /// Runs `pgbackrest --stanza=S COMMAND OPTIONS...`; stderr is captured (pgBackRest's
    /// warnings and errors), stdout as asked.
    public func run(_ subcommand: String, _ options: [String] = [], context: CommandContext,
                    stdout: ClientProgram.Output = .capture, withStanza: Bool = true) throws -> ClientProgram.Result {
        let arguments = Array(command.dropFirst()) + (withStanza ? ["--stanza=\(stanza)"] : []) + options + [subcommand]
        return try ChildProcess.run(command[0], arguments, stdout: stdout, stderr: .capture, cancelled: { context.isCancelled })
    }

    /// The same, throwing a `Failure` with pgBackRest's error lines when it does not succeed.
    @discardableResult
    public func require(_ subcommand: String, _ options: [String] = [], context: CommandContext) throws -> ClientProgram.Result {
        let result = try run(subcommand, options, context: context)
        if result.cancelled { throw CommandCancelled() }
        guard result.succeeded else {
            throw Failure(command: subcommand, status: result.status, lines: Self.errorLines(result))
        }
        return result
    }

    /// The lines of pgBackRest's stderr (and stdout, where some commands report) worth showing:
    /// shown as they are, never interpreted.
    public static func errorLines(_ result: ClientProgram.Result) -> [String] {
        (result.stderrText + "\n" + result.stdoutText).split(separator: "\n").map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("[") }
    }

    /// `info --output=json` of every stanza in the repository.
    func infoAll(context: CommandContext) throws -> [PgBackRestStanzaInfo] {
        let result = try run("info", ["--output=json"], context: context, withStanza: false)
        guard result.succeeded else {
            throw Failure(command: "info", status: result.status, lines: Self.errorLines(result))
        }
        do { return try PgBackRestStanzaInfo.decode(result.stdout) } catch {
            throw CommandError("pgbackrest info --output=json gave JSON curate cannot read: \(error)")
        }
    }

    /// `info --output=json` of this stanza. A stanza pgBackRest does not know is a `CommandError`
    /// saying how to create it.
    public func info(context: CommandContext) throws -> PgBackRestStanzaInfo {
        let result = try run("info", ["--output=json"], context: context)
        guard result.succeeded else {
            throw CommandError("pgBackRest cannot read its repository: " + Self.errorLines(result).joined(separator: "; "),
                               hint: "check pgBackRest's configuration (repo1-path, its config file or PGBACKREST_* variables)")
        }
        let stanzas: [PgBackRestStanzaInfo]
        do { stanzas = try PgBackRestStanzaInfo.decode(result.stdout) } catch {
            throw CommandError("pgbackrest info --output=json gave JSON curate cannot read: \(error)")
        }
        guard let info = stanzas.first(where: { $0.name == stanza }) else {
            throw CommandError("pgBackRest reported nothing for stanza \(stanza)")
        }
        // Code 1: "missing stanza path" (never created); others: the message says.
        if info.status.code == 1 {
            throw CommandError("stanza \(stanza) does not exist in the pgBackRest repository",
                               hint: "\\backup --engine pgbackrest --create-stanza creates it (pgbackrest stanza-create)")
        }
        return info
    }
}
