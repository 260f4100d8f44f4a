import CurateTestSupport
import Foundation
import Testing
@testable import CurateKit

/// `context.printTable(columns:) { sink in ... }`: a Swift plugin writes rows as it makes them.
@Suite("Swift plugins: a table written row by row to a sink")
struct TableRowSinkTests {
    /// What `body` prints through a context whose output goes to a file, in `settings`.
    static func printed(settings: OutputSettings = OutputSettings(), _ body: (CommandContext) throws -> Void) throws -> String {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let session = try SessionTests.connect(database)
        let path = NSTemporaryDirectory() + "curate-sink-\(UUID().uuidString)"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { unlink(path) }
        let console = Console(outputDescriptor: descriptor, errorDescriptor: descriptor)
        let context = CommandContext(session: session, console: console, variables: Variables(), settings: settings, isInteractive: false)
        do {
            try body(context)
        } catch {
            console.flush()
            close(descriptor)
            throw error
        }
        console.flush()
        close(descriptor)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    static let rows: [[String?]] = (1...2500).map { ["\($0)", $0 % 3 == 0 ? nil : "file \($0)"] }

    @Test("rows written to the sink print exactly as the same rows given as an array, in every format")
    func sameAsArray() throws {
        for format in [OutputSettings.Format.aligned, .csv, .json, .wrapped] {
            var settings = OutputSettings()
            settings.format = format
            let columns = [ColumnDescription(name: "id", typeOID: TypeOID.int4), ColumnDescription(name: "name", typeOID: TypeOID.text)]
            let streamed = try Self.printed(settings: settings) { context in
                context.printTable(described: columns) { sink in
                    for row in Self.rows { sink.write(row) }
                    #expect(sink.rowCount == 2500)
                }
            }
            let whole = try Self.printed(settings: settings) { context in
                context.printTable(described: columns, rows: Self.rows)
            }
            #expect(streamed == whole, "\(format)")
            #expect(streamed.contains("2500"), "\(format)")
        }
    }

    @Test("when the closure throws, the rows written so far are printed with their footer and the error goes on")
    func throwingClosure() throws {
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            _ = try Self.printed { context in
                try context.printTable(columns: ["n"]) { sink in
                    sink.write(["1"])
                    sink.write(["2"])
                    throw Stop()
                }
            }
        }
        let printed = try Self.printed { context in
            try? context.printTable(columns: ["n"]) { sink in
                sink.write(["1"])
                throw Stop()
            }
        }
        #expect(printed == " n \n---\n 1\n(1 row)\n\n", "\(printed)")
    }
}
