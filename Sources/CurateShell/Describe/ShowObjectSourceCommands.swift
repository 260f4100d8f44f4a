import ArgumentParser
import CurateKit

/// `\sf[+] FUNCTION` and `\sv[+] VIEW`: psql's `exec_command_sf_sv`: the object's definition as a
/// `CREATE OR REPLACE` command on the result output; `+` numbers the lines (for a function,
/// from the first line of its body, as error messages count them).
enum ObjectSource {
    static func show(_ object: EditableObject, invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        guard let description = arguments.next(.wholeLine)?.value, !description.isEmpty else {
            throw ShellFailure(object == .function ? "function name is required" : "view name is required")
        }
        let definition: String
        do {
            definition = try object.definition(of: description, shell: shell)
        } catch let error as EditableObject.NotAView {
            throw ShellFailure(error.message)
        }
        let text = name.contains("+") ? numbered(definition, isFunction: object == .function) : definition
        shell.console.print(text, newline: false)
        shell.console.flush()
    }

    /// psql's `print_with_linenumbers`: header lines (before the one starting with `AS `,
    /// `BEGIN ` or `RETURN `) indented by eight spaces, the rest numbered.
    static func numbered(_ text: String, isFunction: Bool) -> String {
        var inHeader = isFunction
        var number = 0
        var output = ""
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        for line in lines {
            if inHeader && (line.hasPrefix("AS ") || line.hasPrefix("BEGIN ") || line.hasPrefix("RETURN ")) {
                inHeader = false
            }
            if inHeader {
                output += "        \(line)\n"
            } else {
                number += 1
                let label = String(number)
                output += label + String(repeating: " ", count: max(0, 7 - label.count)) + " \(line)\n"
            }
        }
        return output
    }
}

struct ShowFunctionSourceCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "sf", abstract: "Show a function's definition.")
    static let synopsis = "[+] FUNCNAME"
    static let nameModifiers: Set<Character> = ["+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try ObjectSource.show(.function, invokedAs: name, arguments: &arguments, shell: shell)
    }
}

struct ShowViewSourceCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "sv", abstract: "Show a view's definition.")
    static let synopsis = "[+] VIEWNAME"
    static let nameModifiers: Set<Character> = ["+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try ObjectSource.show(.view, invokedAs: name, arguments: &arguments, shell: shell)
    }
}
