import CurateTestSupport
import Foundation

/// Real psql, run side by side with curate to compare their output byte for byte.
enum PsqlRun {
    struct Output {
        let stdout: Data
        let status: Int32
    }

    static func run(_ arguments: [String], in database: TestDatabase, environment: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestServer.psqlPath)
        process.arguments = ["-h", database.host, "-p", database.port, "-U", database.user, "-d", database.name] + arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        env.merge(environment) { _, new in new }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(stdout: data, status: process.terminationStatus)
    }
}
