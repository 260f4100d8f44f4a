import ArgumentParser
import CurateKit

/// `\echo`, `\qecho` and `\warn`: their words, one space between, to stdout, to the result output
/// (`\o`) and to stderr. An unquoted `-n` first leaves out the final newline (`'-n'`, or a second
/// `-n`, is printed).
enum EchoTarget {
    case standardOutput, resultOutput, standardError

    static func echo(_ arguments: inout SlashOptionScanner, to target: Self, shell: Shell) {
        var text = ""
        var newline = true
        var first = true
        while let word = arguments.next() {
            if first && newline && word.quote == nil && word.value == "-n" {
                newline = false
                continue
            }
            if !first { text += " " }
            first = false
            text += word.value
        }
        switch target {
        case .standardOutput:
            // Standard output itself, even while `\o` sends results elsewhere.
            let writer = shell.console.isRedirected ? shell.console.standardOutputWriter : shell.console.output
            writer.write(newline ? text + "\n" : text)
        case .resultOutput:
            shell.console.print(text, newline: newline)
        case .standardError:
            shell.console.printError(text, newline: newline)
        }
    }
}

struct EchoCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "echo", abstract: "Print text on standard output (-n: no newline at the end).")
    static let synopsis = "[-n] [STRING]"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        EchoTarget.echo(&arguments, to: .standardOutput, shell: shell)
    }
}

struct QueryEchoCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "qecho", abstract: "Print text to the result output (\\o).")
    static let synopsis = "[-n] [STRING]"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        EchoTarget.echo(&arguments, to: .resultOutput, shell: shell)
    }
}

struct WarnCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "warn", abstract: "Print text on standard error.")
    static let synopsis = "[-n] [STRING]"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        EchoTarget.echo(&arguments, to: .standardError, shell: shell)
    }
}
