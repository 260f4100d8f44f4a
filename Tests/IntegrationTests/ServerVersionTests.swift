import CurateTestSupport
import Foundation
import Testing

/// What depends on the server's version, on whichever version the suite runs against (scripts/test
/// runs it against PostgreSQL 15 and 18).
@Suite("Server versions")
struct ServerVersionTests {
    /// curate's `-d` through `proxy`, without TLS or GSS encryption (the proxy reads the protocol).
    static func connection(to database: TestDatabase, through proxy: TCPProxy) -> [String] {
        ["-d", "host=127.0.0.1 port=\(proxy.port) user=\(database.user) dbname=\(database.name) sslmode=disable gssencmode=disable"]
    }

    @Test("--read-only holds on a server that does not report default_transaction_read_only (as before PostgreSQL 14)")
    func readOnlyWithoutParameterStatus() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let proxy = try ConnectionCutTests.proxy()
        defer { proxy.close() }
        proxy.hideParameterStatus("default_transaction_read_only")
        let arguments = ["-X", "--read-only"] + Self.connection(to: database, through: proxy)

        let write = CurateProcess.run(arguments: arguments + ["-c", "CREATE TABLE ro_probe (i int)"])
        #expect(write.status == 3, "\(write)")
        #expect(write.stderr.contains("cannot execute CREATE TABLE in a read-only transaction"), "\(write)")

        // A statement that turns read-only mode off is undone at once, as where the server reports it.
        let lifted = CurateProcess.run(arguments: arguments, stdin: """
            \\set ON_ERROR_STOP off
            SET default_transaction_read_only = off;
            CREATE TABLE ro_probe (i int);
            SELECT pg_catalog.set_config('default_transaction_read_only', 'off', false);
            CREATE TABLE ro_probe (i int);
            """)
        #expect(lifted.stderr.contains("read-only mode was put back"), "\(lifted)")
        #expect(!lifted.stderr.contains("CREATE TABLE\n"), "\(lifted)")
        #expect(try database.psql("SELECT count(*) FROM pg_class WHERE relname = 'ro_probe'") == "0")
    }

    @Test("the proxy's filter drops one parameter's ParameterStatus messages, whole, however the bytes arrive")
    func parameterStatusFilter() {
        func message(_ type: Character, _ body: [UInt8]) -> [UInt8] {
            let length = UInt32(body.count + 4)
            return [UInt8(ascii: type.unicodeScalars.first!)] + withUnsafeBytes(of: length.bigEndian, Array.init) + body
        }
        func status(_ name: String, _ value: String) -> [UInt8] {
            message("S", Array(name.utf8) + [0] + Array(value.utf8) + [0])
        }
        let kept = status("server_version", "13.16") + status("TimeZone", "UTC")
        let stream = status("server_version", "13.16") + status("default_transaction_read_only", "on")
            + status("TimeZone", "UTC") + message("Z", [UInt8(ascii: "I")])
        for chunk in [1, 3, 7, stream.count] {
            var filter = ParameterStatusFilter(parameter: "default_transaction_read_only")
            var output: [UInt8] = []
            var offset = 0
            while offset < stream.count {
                output += filter.pass(stream[offset..<min(offset + chunk, stream.count)])
                offset += chunk
            }
            #expect(output == kept + message("Z", [UInt8(ascii: "I")]), "chunks of \(chunk) bytes")
        }
    }

    @Test("\\backup and \\restore use the pg_dump and pg_restore of the server's major version and say which")
    func clientProgramsOfTheServersVersion() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = NSTemporaryDirectory() + "curate-versions-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let major = TestServer.serverMajorVersion
        #expect(major >= 13)

        let backup = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\backup --dir \(folder)"])
        #expect(backup.status == 0, "\(backup)")
        #expect(backup.stdout.contains("\nbackup: written by pg_dump \(major)."), "\(backup)")
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".pg_dump_c") })

        let target = "\(database.name)_v"
        defer { _ = try? database.server.psql("DROP DATABASE IF EXISTS \"\(target)\" WITH (FORCE)", database: "postgres") }
        let restore = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\restore \(folder)/\(file) --into \(target)"])
        #expect(restore.status == 0, "\(restore)")
        #expect(restore.stdout.contains("\nrestore: loaded by pg_restore \(major)."), "\(restore)")
        // Every table and its rows are counted, on every version (no XML support needed).
        #expect(restore.stdout.contains("restore: \(file) into database \(target): 4 tables"), "\(restore)")
        let files = try database.psql("SELECT count(*) FROM file")
        let fileLine = restore.stdout.split(separator: "\n").first { $0.hasPrefix(" public.file ") }
        #expect(fileLine?.split(separator: "|").last?.trimmingCharacters(in: .whitespaces) == files, "\(restore)")
    }
}
