import CurateTestSupport
import Foundation
import Testing

/// A scripted curate session run under valgrind's memcheck: queries in every output format, a
/// transaction with a savepoint, errors, a check, variables, output to a file. No memory may be
/// definitely lost (a block nothing points to any more).
///
/// Swift's runtime gives valgrind two kinds of noise, suppressed here and nothing else:
/// uninitialised-value reports inside the runtime's own metadata initialisation
/// (`swift_init*Metadata*`), and blocks allocated by global initialisers (`swift_once`), which
/// live as long as the process but which valgrind cannot always see pointed to (Swift keeps enum
/// tags in a pointer's spare bits). "Possibly lost" and "still reachable" blocks (the runtime's
/// metadata caches) are accepted.
@Suite("Leak check: a scripted session under valgrind")
struct LeakCheckTests {
    static let valgrind: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") + ["/usr/bin"] {
            let candidate = "\(folder)/valgrind"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    static let objcopy: String? = ["/usr/bin/objcopy", "/bin/objcopy"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static let suppressions = """
        {
           swift-runtime-metadata-initialization-cond
           Memcheck:Cond
           fun:swift_init*Metadata*
        }
        {
           swift-runtime-metadata-initialization-value8
           Memcheck:Value8
           fun:swift_init*Metadata*
        }
        {
           swift-global-initializer-once
           Memcheck:Leak
           match-leak-kinds: definite
           ...
           fun:*once_slow*
        }

        """

    static func session(output: String) -> String {
        """
        SELECT 1 AS one, 'text' AS t, NULL AS n;
        SELECT g, md5(g::text) FROM generate_series(1, 50) g;
        \\pset format csv
        SELECT id, name FROM file ORDER BY id LIMIT 20;
        \\pset format json
        SELECT id, name FROM file ORDER BY id LIMIT 20;
        \\pset format unaligned
        SELECT id, name FROM file ORDER BY id LIMIT 20;
        \\pset format aligned
        \\x on
        SELECT id, filename, canonical FROM diskfile ORDER BY id LIMIT 5;
        \\x off
        \\set greeting 'hello from a variable'
        \\echo :greeting
        SELECT :'greeting' AS greeting;
        BEGIN;
        CREATE TABLE leak_t (i integer PRIMARY KEY, t text);
        INSERT INTO leak_t SELECT g, md5(g::text) FROM generate_series(1, 100) g;
        UPDATE leak_t SET t = 'x' WHERE i < 10;
        SAVEPOINT s1;
        DELETE FROM leak_t WHERE i > 90;
        ROLLBACK TO SAVEPOINT s1;
        COMMIT;
        SELECT 'rows: ' || count(*) FROM leak_t;
        SELECT 1 / 0;
        SELECT * FROM no_such_table;
        \\check duplicate-canonical
        \\o \(output)
        SELECT id, name FROM file ORDER BY id LIMIT 100;
        \\echo written to a file
        \\o
        SELECT 'session ' || 'done' AS status;

        """
    }

    @Test("no memory definitely lost in a scripted session (valgrind memcheck)",
          .enabled(if: valgrind != nil, "valgrind is not installed (Debian package valgrind)"),
          .enabled(if: objcopy != nil, "objcopy is not installed (Debian package binutils)"))
    func scriptedSession() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-leak-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // valgrind 3.19 cannot read the DWARF 5 debug information of Swift 6 builds ("Possibly
        // corrupted debuginfo file"): run a copy without it (the symbol table stays, so stacks keep names).
        let binary = folder.appendingPathComponent("curate")
        let stripped = CurateProcess.run(arguments: ["--strip-debug", CurateBinary.path, binary.path],
                                         executable: URL(fileURLWithPath: Self.objcopy!))
        try #require(stripped.status == 0, "\(stripped)")
        let suppressions = folder.appendingPathComponent("swift.supp")
        try Data(Self.suppressions.utf8).write(to: suppressions)
        let log = folder.appendingPathComponent("valgrind.log")
        let output = folder.appendingPathComponent("out.txt")

        let run = CurateProcess.run(
            arguments: ["--leak-check=full", "--errors-for-leak-kinds=definite", "--error-exitcode=99",
                        "--suppressions=\(suppressions.path)", "--log-file=\(log.path)",
                        binary.path, "-X", "-v", "ON_ERROR_STOP=0"] + database.curateArguments + ["-f", "-"],
            stdin: Self.session(output: output.path),
            timeout: 1800,
            executable: URL(fileURLWithPath: Self.valgrind!))
        let report = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(!run.timedOut, "\(run)")
        #expect(run.status != 99, "valgrind found errors or definite leaks:\n\(report)")
        #expect(report.contains("definitely lost: 0 bytes in 0 blocks") || report.contains("no leaks are possible"),
                "no leak summary with nothing definitely lost:\n\(report)")

        // The session did what it names, to the end.
        #expect(run.stdout.contains("hello from a variable"), "\(run)")
        #expect(run.stdout.contains("\"name\""), "json output: \(run)")
        #expect(run.stdout.contains("rows: 100"), "the transaction: \(run)")
        #expect(run.stderr.contains("division by zero"), "\(run)")
        #expect(run.stderr.contains("no_such_table"), "\(run)")
        #expect(run.stdout.contains("duplicate-canonical"), "the check: \(run)")
        #expect(run.stdout.contains("session done"), "\(run)")
        let written = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        #expect(written.contains("(100 rows)"), "\\o: \(written)")
        #expect(!run.stdout.contains("(100 rows)"), "\\o: the result went to the file, not to stdout: \(run)")
    }
}
