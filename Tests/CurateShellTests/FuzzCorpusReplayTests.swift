#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CurateFuzzEntryPoints
import Testing

/// Replays the fuzzers' saved corpus (Fuzz/Corpus/<target>/, grown by Fuzz/run.sh) through the same
/// entry points the libFuzzer targets call, without libFuzzer: every input must return, and the
/// invariants each entry point checks (see `FuzzEntryPoints`) must hold.
@Suite struct FuzzCorpusReplayTests {
    /// Fuzz/Corpus, found from this file's place in the repository.
    static let corpusFolder: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/CurateShellTests/FuzzCorpusReplayTests.swift
        return parts.joined(separator: "/") + "/Fuzz/Corpus"
    }()

    /// Every regular file in Fuzz/Corpus/<target>, by name, with its bytes.
    static func corpus(_ target: String) -> [(name: String, bytes: [UInt8])] {
        let folder = corpusFolder + "/" + target
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted().compactMap { name in
            guard let file = fopen(folder + "/" + name, "rb") else { return nil }
            defer { fclose(file) }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress!, 1, $0.count, file) }
                if n == 0 { break }
                bytes += chunk[0..<n]
            }
            return (name, bytes)
        }
    }

    static func replay(_ target: String, _ entryPoint: ([UInt8]) -> [String]) {
        let inputs = corpus(target)
        #expect(!inputs.isEmpty, "no corpus in \(corpusFolder)/\(target)")
        for input in inputs {
            let problems = entryPoint(input.bytes)
            #expect(problems.isEmpty, "Fuzz/Corpus/\(target)/\(input.name): \(problems.prefix(5))")
        }
    }

    @Test func splitterCorpusKeepsItsInvariants() {
        Self.replay("splitter", FuzzEntryPoints.splitter)
    }

    @Test func tokenizerCorpusKeepsItsInvariants() {
        Self.replay("tokenizer", FuzzEntryPoints.tokenizer)
    }

    @Test func renderersCorpusKeepsItsInvariants() {
        Self.replay("renderers", FuzzEntryPoints.renderers)
    }

    /// Found by fuzzing (run 3): psql's validation keeps some encoded surrogates (ED BC BC is U+DF3C),
    /// which made the json output invalid UTF-8, hence invalid JSON. Aligned, unaligned and csv still
    /// print them as psql does; json drops them. Input: one text column "a", one row holding
    /// "x" ED BC BC "y" ED A4 80 (also kept by psql) and ED A0 80 (dropped by psql already).
    @Test func anEncodedSurrogateNeverReachesTheJSONOutput() {
        let input: [UInt8] = [0x00, 0x00, 0x61, 0x00, 0x78, 0xED, 0xBC, 0xBC, 0x79, 0xED, 0xA4, 0x80, 0xED, 0xA0, 0x80]
        #expect(FuzzEntryPoints.renderers(input) == [])
        let json = FuzzEntryPoints.jsonOutput(input)
        #expect(json == Array("[{\"a\": \"xy\"}]\n".utf8), "\(String(decoding: json, as: UTF8.self))")
        #expect(FuzzEntryPoints.jsonShape(Array("[{\"a\": \"\u{FFFD}\"}]\n".utf8)) == [1])
        #expect(FuzzEntryPoints.jsonShape([0x5B, 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x20, 0x22, 0xED, 0xBC, 0xBC, 0x22, 0x7D, 0x5D, 0x0A]) == nil)
    }

    /// The invariant checks themselves catch what they claim to (so a green replay means something).
    @Test func theCSVCheckNoticesAMissingField() {
        #expect(FuzzEntryPoints.csvProblems(output: Array("a,b\n1\n".utf8), columns: ["a", "b"], rows: [["1", "2"]]) != [])
        #expect(FuzzEntryPoints.csvProblems(output: Array("a,b\n1,\"2\n3\"\n".utf8), columns: ["a", "b"], rows: [["1", "2\n3"]]) == [])
    }

    @Test func theJSONCheckRefusesBrokenJSON() {
        #expect(FuzzEntryPoints.jsonShape(Array("[{\"a\": 1, \"b\": \"x\"}]\n".utf8)) == [2])
        #expect(FuzzEntryPoints.jsonShape(Array("[{\"a\": 1,}]\n".utf8)) == nil)
        #expect(FuzzEntryPoints.jsonShape(Array("[{\"a\": \"\n\"}]\n".utf8)) == nil)
        #expect(FuzzEntryPoints.jsonShape(Array("[]\n".utf8)) == [])
    }
}
