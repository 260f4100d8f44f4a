import ArgumentParser
import CurateKit
import Foundation

/// psql's large-object commands, with psql's transaction handling: inside the user's open
/// transaction they run in it; with none open they run in one of their own, committed when the
/// operation worked and rolled back when it failed; in a failed transaction they are refused.
enum LargeObjectTransaction {
    static func run<T>(_ operation: String, session: Session, _ body: () throws -> T) throws -> T {
        let own: Bool
        switch session.transactionState {
        case .idle:
            try session.execute("BEGIN")
            own = true
        case .inTransaction:
            own = false
        case .failed:
            throw ShellFailure("\(operation): current transaction is aborted")
        default:
            if !session.isConnected { throw ShellFailure("\(operation): not connected to a database") }
            throw ShellFailure("\(operation): unknown transaction status")
        }
        let value: T
        do {
            value = try body()
        } catch {
            if own, session.isConnected { _ = try? session.execute("ROLLBACK") }
            throw error
        }
        if own {
            do { try session.execute("COMMIT") } catch {
                if session.isConnected, session.transactionState.isOpen { _ = try? session.execute("ROLLBACK") }
                throw error
            }
        }
        return value
    }

    /// psql's `lo_import 16485`-style line on the result output, unless QUIET.
    static func print(_ text: String, shell: Shell) {
        guard !shell.variables.bool("QUIET", default: false) else { return }
        // psql's print_lo_result: in a paragraph in the html format.
        shell.console.print(shell.settings.format == .html ? "<p>\(text)</p>" : text)
    }

    /// psql's warning for arguments a command does not take (after it ran).
    static func warnExtra(_ extra: [String], command: String, shell: Shell) {
        guard let frame = shell.frames.last else { return }
        for word in extra { shell.warn("\\\(command): extra argument \"\(word)\" ignored", in: frame) }
    }

    /// The OID as psql's `atooid` reads it (`strtoul`: leading digits, else 0).
    static func oid(_ text: String) -> UInt32 {
        let digits = text.drop { $0 == " " || $0 == "\t" }.prefix { $0.isASCII && $0.isNumber }
        return UInt32(digits.prefix(10)) ?? 0
    }

    /// `~/` expanded, as psql expands it in file names.
    static func expandTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] else { return path }
        return home + path.dropFirst()
    }
}

/// `\lo_import FILE [COMMENT]`: a client file into a new large object; sets LASTOID.
struct LargeObjectImportCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "lo_import", abstract: "Import a client file as a large object (with an optional comment).")

    @Argument(help: "The client file.") var file: String?
    @Argument(help: "A comment on the new large object.") var comment: String?
    @Argument(parsing: .allUnrecognized, help: "Ignored, as psql ignores them.") var extra: [String] = []

    func run(shell: Shell) throws {
        guard let file else { throw ShellFailure("\\lo_import: missing required argument") }
        let session = shell.session
        let oid = try LargeObjectTransaction.run("\\lo_import", session: session) {
            let oid = try session.importLargeObject(path: LargeObjectTransaction.expandTilde(file))
            if let comment {
                try session.execute("COMMENT ON LARGE OBJECT \(oid) IS \(session.quoteLiteral(comment))")
            }
            return oid
        }
        LargeObjectTransaction.print("lo_import \(oid)", shell: shell)
        shell.variables["LASTOID"] = String(oid)
        LargeObjectTransaction.warnExtra(extra, command: "lo_import", shell: shell)
    }
}

/// `\lo_export OID FILE`: a large object into a client file.
struct LargeObjectExportCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "lo_export", abstract: "Export a large object to a client file.")

    @Argument(help: "The large object's OID.") var oid: String?
    @Argument(help: "The client file to write.") var file: String?
    @Argument(parsing: .allUnrecognized, help: "Ignored, as psql ignores them.") var extra: [String] = []

    func run(shell: Shell) throws {
        guard let oid, let file else { throw ShellFailure("\\lo_export: missing required argument") }
        let session = shell.session
        try LargeObjectTransaction.run("\\lo_export", session: session) {
            try session.exportLargeObject(LargeObjectTransaction.oid(oid), path: LargeObjectTransaction.expandTilde(file))
        }
        LargeObjectTransaction.print("lo_export", shell: shell)
        LargeObjectTransaction.warnExtra(extra, command: "lo_export", shell: shell)
    }
}

/// `\lo_unlink OID`: deletes a large object.
struct LargeObjectUnlinkCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "lo_unlink", abstract: "Delete a large object.")

    @Argument(help: "The large object's OID.") var oid: String?
    @Argument(parsing: .allUnrecognized, help: "Ignored, as psql ignores them.") var extra: [String] = []

    func run(shell: Shell) throws {
        guard let oid else { throw ShellFailure("\\lo_unlink: missing required argument") }
        let session = shell.session
        let number = LargeObjectTransaction.oid(oid)
        try LargeObjectTransaction.run("\\lo_unlink", session: session) { try session.unlinkLargeObject(number) }
        LargeObjectTransaction.print("lo_unlink \(number)", shell: shell)
        LargeObjectTransaction.warnExtra(extra, command: "lo_unlink", shell: shell)
    }
}

/// `\lo_list[+]`: the large objects, psql's `listLargeObjects` as `\dl` prints it. psql reads two
/// arguments after it and ignores them (more are warned about).
struct LargeObjectListCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "lo_list", abstract: "List the large objects (+: with their access privileges).")
    static let nameModifiers: Set<Character> = ["+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        _ = arguments.next(semicolon: true)
        _ = arguments.next(semicolon: true)
        try ListLargeObjectsCommand.list(verbose: name == "lo_list+", shell: shell)
    }
}
