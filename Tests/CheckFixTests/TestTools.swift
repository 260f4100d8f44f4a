import Foundation
import Testing

/// The tools outside Swift that the report and metrics tests use, installed by
/// scripts/install-test-tools.sh (scripts/test runs it): Debian's chromium, and prometheus_client
/// from PyPI in a folder of the repository (CURATE_TEST_PYTHONPATH).
enum TestTools {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let missingHint = "run the tests through scripts/test, or run scripts/install-test-tools.sh and export what it prints"

    /// The headless browser: CURATE_TEST_CHROMIUM, else chromium on PATH.
    static func chromium() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["CURATE_TEST_CHROMIUM"], !path.isEmpty { return path }
        for folder in (environment["PATH"] ?? "/usr/bin").split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(folder)/chromium") {
            return "\(folder)/chromium"
        }
        throw TestToolMissing(message: "chromium is not installed: \(missingHint)")
    }

    /// The folder holding prometheus_client (CURATE_TEST_PYTHONPATH).
    static func pythonPath() throws -> String {
        guard let path = ProcessInfo.processInfo.environment["CURATE_TEST_PYTHONPATH"], !path.isEmpty else {
            throw TestToolMissing(message: "CURATE_TEST_PYTHONPATH is not set (prometheus_client): \(missingHint)")
        }
        return path
    }

    /// Runs a program to its end; its output is read while it runs (no pipe fills up).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}

struct TestToolMissing: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
