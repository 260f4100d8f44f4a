import CurateKit

/// `\if`, `\elif`, `\else` and `\endif`, with psql's rules: in a branch not taken, SQL is read
/// (quotes and all) but never sent, backslash commands are passed over with their arguments
/// (nothing interpolated), and the blocks are still tracked; text typed in a branch not taken
/// leaves the query buffer again when the branch ends.
extension Shell {
    static let branchingCommands: Set<String> = ["if", "elif", "else", "endif"]

    /// psql's commands whose argument is the whole rest of the line: passed over to the end of it.
    private static let wholeLineCommands: Set<String> = ["!", "copy", "ef", "ev", "sf", "sv", "h", "help"]

    /// psql's commands whose argument may be `|command`, which runs to the end of the line.
    private static let pipeCommands: Set<String> = ["g", "gx", "o", "out", "w", "write"]

    /// Feeds one input line to the frame's splitter and runs what it completes. A command read as
    /// psql reads it (a branching command, or any command in a branch not taken) ends where its
    /// arguments end: what follows on the line is read next, as more input.
    func runLine(_ text: String, lineNumber: Int, in frame: InputFrame) {
        var pending = split(text, lineNumber: lineNumber, in: frame)
        while !pending.isEmpty {
            let item = pending.removeFirst()
            var rest: String?
            switch item {
            case .statement:
                if frame.conditionals.isActive {
                    execute(item, in: frame)
                } else if frame.isInteractive {
                    console.printError("query ignored; use \\endif or Ctrl-C to exit current \\if block")
                }
            case .command(let invocation):
                if restrictKey == nil, Self.branchingCommands.contains(invocation.name) {
                    rest = runBranching(invocation, in: frame)
                } else if !frame.conditionals.isActive {
                    rest = passOver(invocation, in: frame)
                } else {
                    let (own, after) = argumentsEnd(of: invocation)
                    rest = after
                    execute(.command(own), in: frame)
                }
            }
            if quitRequested || stopStatus != nil { return }
            if let rest { pending = split(rest, lineNumber: lineNumber, in: frame) }
        }
    }

    /// In a branch not taken nothing is interpolated (psql does not even look variables up) and
    /// the text of ended statements stays in the buffer until the branch ends.
    private func split(_ text: String, lineNumber: Int, in frame: InputFrame) -> [InputItem] {
        let active = frame.conditionals.isActive
        frame.splitter.keepsEndedStatements = !active
        frame.splitter.endsStatementAtLineEnd = variableSettings.singleLine
        return frame.splitter.feed(line: text, lineNumber: lineNumber, resolve: active ? resolveVariable : { _ in nil })
    }

    /// psql ends a command's arguments at a backslash outside quotes: what follows is the next
    /// command (`\\` leads back to SQL). Whole-line commands and `|command` take the rest.
    /// Only the shell's own (psql's) commands: plugin commands keep their shell-like quoting, in
    /// which a backslash escapes the next character.
    private func argumentsEnd(of invocation: CommandInvocation) -> (CommandInvocation, rest: String?) {
        guard case .shell? = registry.command(named: invocation.name)?.kind else { return (invocation, nil) }
        if takesWholeLine(invocation) { return (invocation, nil) }
        let (arguments, rest) = SlashOptionScanner.splitAtNextCommand(invocation.argumentText)
        guard rest != nil || arguments != invocation.argumentText else { return (invocation, nil) }
        var own = invocation
        own.argumentText = arguments
        return (own, rest)
    }

    private func takesWholeLine(_ invocation: CommandInvocation) -> Bool {
        if Self.wholeLineCommands.contains(invocation.name) { return true }
        if case .shell(let type)? = registry.command(named: invocation.name)?.kind, type.takesWholeLine { return true }
        return Self.pipeCommands.contains(invocation.name) && SlashOptionScanner(unevaluated: invocation.argumentText).nextIsPipe
    }

    // MARK: Branching

    /// Runs `\if`, `\elif`, `\else` or `\endif`; returns the text after it on the line.
    private func runBranching(_ invocation: CommandInvocation, in frame: InputFrame) -> String? {
        let line = invocation.line
        var scanner = slashOptionScanner(invocation.argumentText, in: frame, line: line, reportsProblems: false)
        var failure: String?
        switch invocation.name {
        case "if":
            if frame.conditionals.isActive {
                frame.conditionals.push(.taken, mark: frame.splitter.mark)
                if !readCondition(&scanner, label: "\\if expression", in: frame, line: line) {
                    frame.conditionals.setInnermost(.notYetTaken)
                }
            } else {
                // Inside a branch not taken, the whole block is: its expression is not even read.
                frame.conditionals.push(.skipped, mark: frame.splitter.mark)
                skipArguments(&scanner)
            }
        case "elif":
            switch frame.conditionals.innermost {
            case .taken:
                // Keep what the taken branch typed; the rest of the block is passed over.
                frame.conditionals.setInnermostMark(frame.splitter.mark)
                frame.conditionals.setInnermost(.skipped)
                skipArguments(&scanner)
            case .notYetTaken:
                dropBranchText(in: frame)
                frame.conditionals.setInnermost(.taken)
                if !readCondition(&scanner, label: "\\elif expression", in: frame, line: line) {
                    frame.conditionals.setInnermost(.notYetTaken)
                }
            case .skipped:
                dropBranchText(in: frame)
                skipArguments(&scanner)
            case .elseTaken, .elseSkipped:
                failure = "\\elif: cannot occur after \\else"
            case nil:
                failure = "\\elif: no matching \\if"
            }
        case "else":
            switch frame.conditionals.innermost {
            case .taken:
                frame.conditionals.setInnermostMark(frame.splitter.mark)
                frame.conditionals.setInnermost(.elseSkipped)
            case .notYetTaken:
                dropBranchText(in: frame)
                frame.conditionals.setInnermost(.elseTaken)
            case .skipped:
                dropBranchText(in: frame)
                frame.conditionals.setInnermost(.elseSkipped)
            case .elseTaken, .elseSkipped:
                failure = "\\else: cannot occur after \\else"
            case nil:
                failure = "\\else: no matching \\if"
            }
        default:
            switch frame.conditionals.innermost {
            case .taken, .elseTaken:
                frame.conditionals.pop()
            case .notYetTaken, .skipped, .elseSkipped:
                dropBranchText(in: frame)
                frame.conditionals.pop()
            case nil:
                failure = "\\endif: no matching \\if"
            }
        }
        if let failure {
            // As psql: the rest of the line after a failed command is thrown away.
            fail(message: failure, in: frame, line: line)
            return nil
        }
        if stopStatus != nil { return nil }
        // psql reads the arguments left over, and names them only where commands run.
        let extra = scanner.remaining()
        if frame.conditionals.isActive {
            for argument in extra {
                warn(message: "\\\(invocation.name): extra argument \"\(argument)\" ignored", in: frame, line: line)
            }
        }
        return scanner.nextCommand
    }

    /// The `\if`/`\elif` expression: its arguments (interpolated) joined with one space, read as
    /// psql reads a boolean. False, with an error, when it is none.
    private func readCondition(_ scanner: inout SlashOptionScanner, label: String, in frame: InputFrame, line: Int) -> Bool {
        var words: [String] = []
        while let word = scanner.next() { words.append(word.value) }
        if let problem = scanner.problem {
            fail(message: "\(label): \(problem)", in: frame, line: line)
            return false
        }
        let value = words.joined(separator: " ")
        guard let result = Variables.parseBool(value) else {
            // psql carries on after this error even with ON_ERROR_STOP; curate's scripts stop
            // at it (the branch taken would otherwise rest on a typo).
            fail(message: "unrecognized value \"\(value)\" for \"\(label)\": Boolean expected", in: frame, line: line)
            return false
        }
        return result
    }

    private func skipArguments(_ scanner: inout SlashOptionScanner) {
        _ = scanner.remaining()
    }

    /// Text typed in a branch not taken leaves the query buffer (psql's `discard_query_text`).
    private func dropBranchText(in frame: InputFrame) {
        if let mark = frame.conditionals.innermostMark { frame.splitter.rewind(to: mark) }
    }

    // MARK: Branches not taken

    /// A command in a branch not taken: not run, its arguments consumed without interpolation;
    /// returns the text after them on the line. An unknown command is still an error (as psql).
    private func passOver(_ invocation: CommandInvocation, in frame: InputFrame) -> String? {
        if frame.isInteractive {
            console.printError("\\\(invocation.name) command ignored; use \\endif or Ctrl-C to exit current \\if block")
        }
        guard restrictKey == nil, let command = registry.command(named: invocation.name) else {
            run(invocation, in: frame)
            return nil
        }
        // A plugin command takes the rest of its line (its quoting is not psql's).
        guard case .shell = command.kind, !takesWholeLine(invocation) else { return nil }
        var scanner = SlashOptionScanner(unevaluated: invocation.argumentText)
        skipArguments(&scanner)
        return scanner.nextCommand
    }

    // MARK: Ends of input

    /// At the end of an input (each `\i` file too), every block it opened must be closed. Not
    /// for a `-c` string: psql gives each one a stack of its own and never checks it.
    func checkBlocksClosed(atEndOf frame: InputFrame) {
        guard !frame.conditionals.isEmpty, !(frame.source is StringInput) else { return }
        fail(message: "reached EOF without finding closing \\endif(s)", in: frame, line: frame.source.lineNumber)
    }

    /// Ctrl-C at the terminal inside a block leaves the innermost block (as psql).
    func leaveInnermostBlockAfterInterrupt(in frame: InputFrame) {
        guard frame.isInteractive, !frame.conditionals.isEmpty else { return }
        console.printError("\\if: escaped")
        frame.conditionals.pop()
    }
}
