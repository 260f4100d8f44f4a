import ArgumentParser
import CurateKit
import Foundation

/// `\copy`: COPY with the data on the client side (a file, a program, the script, curate's own
/// standard streams), run as psql runs it: the statement goes to the server like any other, the
/// data through the session's COPY streams.
struct CopyCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy data between a table or query and a file, a program or the terminal (client side).",
        discussion: """
            \\copy TABLE [(COLUMNS)] from {'FILE' | program 'COMMAND' | stdin | pstdin} [[with] (OPTIONS)] [where CONDITION]
            \\copy {TABLE [(COLUMNS)] | (QUERY)} to {'FILE' | program 'COMMAND' | stdout | pstdout} [[with] (OPTIONS)]
            stdin/stdout: the input the command came from and the result output (\\o); pstdin/pstdout: curate's own.
            """
    )
    static let takesWholeLine = true

    @Argument(help: "The rest of the line, as psql reads it.") var arguments: String?

    func run(shell: Shell) throws {
        guard let frame = shell.frames.last else { return }
        let parsed: SlashCopyArguments
        do {
            parsed = try SlashCopyArguments.parse(
                arguments ?? "", standardConformingStrings: shell.session.parameterStatus("standard_conforming_strings") != "off")
        } catch {
            throw ShellFailure(error.message)
        }
        let console = shell.console
        let streams: StatementCopyStreams
        var finish: () throws -> Void = {}
        switch (parsed.endpoint, parsed.isFrom) {
        case (.sameAsCommands, true):
            streams = shell.copyStreams(for: frame)
        case (.processStandardStream, true):
            streams = shell.copyStreams(reading: shell.standardInput)
        case (.sameAsCommands, false):
            streams = shell.copyStreams(writing: console.output, showsStatus: false)
        case (.processStandardStream, false):
            streams = shell.copyStreams(writing: console.standardOutputWriter, showsStatus: console.isRedirected)
        case (.file(let path), true):
            let descriptor = try Self.open(path, flags: O_RDONLY)
            streams = shell.copyStreams(reading: FileInput(descriptor: descriptor, name: path, ownsDescriptor: true))
        case (.file(let path), false):
            let descriptor = try Self.open(path, flags: O_WRONLY | O_CREAT | O_TRUNC)
            let writer = OutputWriter(fileDescriptor: descriptor, ownsDescriptor: true)
            streams = shell.copyStreams(writing: writer, showsStatus: true)
            finish = { writer.flush() }
        case (.program(let command), let isFrom):
            var pipeEnds: [Int32] = [0, 0]
            guard pipe(&pipeEnds) == 0 else { throw ShellFailure("could not execute command \"\(command)\": \(String(cString: strerror(errno)))") }
            let (ours, theirs) = isFrom ? (pipeEnds[0], pipeEnds[1]) : (pipeEnds[1], pipeEnds[0])
            _ = fcntl(ours, F_SETFD, FD_CLOEXEC)
            console.flush()
            let started = isFrom
                ? ShellCommandProcess.spawn(command, standardOutput: theirs)
                : ShellCommandProcess.spawn(command, standardInput: theirs)
            close(theirs)
            guard let pid = started else {
                close(ours)
                throw ShellFailure("could not execute command \"\(command)\": \(String(cString: strerror(errno)))")
            }
            let writer = isFrom ? nil : OutputWriter(fileDescriptor: ours, ownsDescriptor: true)
            let reader = isFrom ? FileInput(descriptor: ours, name: command, ownsDescriptor: true) : nil
            streams = reader.map { shell.copyStreams(reading: $0) } ?? shell.copyStreams(writing: writer!, showsStatus: true)
            finish = { [reader, writer] in
                writer?.flush()
                if writer != nil { close(ours) }
                _ = reader
                let status = ShellCommandProcess.wait(pid)
                if status != 0 { throw ShellFailure("\(command): \(ShellCommandProcess.describe(status: status))") }
            }
        }
        shell.run(SQLStatement(text: parsed.statement, firstLine: frame.source.lineNumber), in: frame, copyStreams: streams)
        try finish()
    }

    /// Opens a file for the data as psql does: not a folder, errors as psql words them.
    private static func open(_ path: String, flags: Int32) throws -> Int32 {
        let descriptor = Foundation.open(path, flags | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw ShellFailure("\(path): \(String(cString: strerror(errno)))") }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw ShellFailure("\(path): cannot copy from/to a directory")
        }
        return descriptor
    }
}
