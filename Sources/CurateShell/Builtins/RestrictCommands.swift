import ArgumentParser
import CurateKit

/// `\restrict KEY`: from here on every backslash command is refused but `\unrestrict KEY`, as in
/// psql 15.14 and later. pg_dump puts it around a plain dump, so a dump that was tampered with
/// cannot run `\!` or `\o` when it is restored.
struct RestrictCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "restrict", abstract: "Enter restricted mode: only \\unrestrict KEY is accepted until then.")

    @Argument(help: "The key that \\unrestrict must give.") var key: String?

    func run(shell: Shell) throws {
        guard let key else { throw CommandError("missing required argument") }
        shell.restrictKey = key
    }
}

/// `\unrestrict KEY`: leaves restricted mode when the key matches the one `\restrict` was given.
struct UnrestrictCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "unrestrict", abstract: "Leave restricted mode, given the key \\restrict was given.")

    @Argument(help: "The key given to \\restrict.") var key: String?

    func run(shell: Shell) throws {
        guard let key else { throw CommandError("missing required argument") }
        guard let expected = shell.restrictKey else { throw CommandError("not currently in restricted mode") }
        guard key == expected else { throw CommandError("wrong key") }
        shell.restrictKey = nil
    }
}
