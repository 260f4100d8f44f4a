import ArgumentParser
import CurateKit

/// `\dl[+]`: psql's `listLargeObjects`, the large objects (`+`: with their access privileges).
/// `\lo_list[+]` is the same listing. psql reads a pattern after `\dl` and ignores it.
struct ListLargeObjectsCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dl", abstract: "List large objects (the same as \\lo_list).")
    static let synopsis = ""
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        _ = arguments.next(semicolon: true)
        try list(verbose: name.contains("+"), shell: shell)
    }

    static func list(verbose: Bool, shell: Shell) throws {
        var query = """
            SELECT oid as "ID",
              pg_catalog.pg_get_userbyid(lomowner) as "Owner",
            """ + "\n  "
        if verbose { query += DescribeColumns.accessPrivileges("lomacl", serverVersion: shell.session.info.serverVersion) + ",\n  " }
        query += """
            pg_catalog.obj_description(oid, 'pg_largeobject') as "Description"
            FROM pg_catalog.pg_largeobject_metadata
            ORDER BY oid
            """
        let result = try shell.describeQuery(query)
        shell.printDescribed(result, title: "Large objects")
    }
}
