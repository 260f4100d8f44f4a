import CurateTestSupport
import Foundation

/// Real psql, run side by side with curate to compare their output byte for byte.
enum PsqlRun {
    struct Output {
        let stdout: Data
        let status: Int32
        /// What psql wrote to stderr.
        var stderr: String = ""
    }

    /// Runs psql in `database` (its -h -p -U -d come first); `stdin` text is fed to it (nil:
    /// /dev/null). `psql`: which psql (psql 15 unless told; `TestServer.serverPsqlPath` for
    /// describe output, which psql builds for its server).
    static func run(
        _ arguments: [String], in database: TestDatabase, environment: [String: String] = [:], stdin: String? = nil,
        psql: String = TestServer.psqlPath
    ) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: psql)
        process.arguments = ["-h", database.host, "-p", database.port, "-U", database.user, "-d", database.name] + arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        env.merge(environment) { _, new in new }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        // stderr goes to a file: reading two pipes one after the other could block.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("psqlrun-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        process.standardError = try FileHandle(forWritingTo: errorFile)
        let input = stdin.map { _ in Pipe() }
        process.standardInput = input ?? FileHandle.nullDevice
        try process.run()
        if let input, let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return Output(stdout: data, status: process.terminationStatus, stderr: stderr)
    }
}
