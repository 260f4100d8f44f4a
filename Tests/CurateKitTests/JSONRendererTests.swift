import Foundation
import Testing
@testable import CurateKit

@Suite("JSON renderer")
struct JSONRendererTests {
    private var json: OutputSettings {
        var settings = OutputSettings()
        settings.format = .json
        return settings
    }

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func typesValues() {
        let columns: [ColumnDescription] = [
            .init(name: "id", typeOID: TypeOID.int4),
            .init(name: "name", typeOID: TypeOID.text),
            .init(name: "price", typeOID: TypeOID.numeric),
            .init(name: "ok", typeOID: TypeOID.bool),
            .init(name: "doc", typeOID: TypeOID.jsonb),
            .init(name: "raw", typeOID: TypeOID.json),
            .init(name: "f", typeOID: TypeOID.float8),
            .init(name: "n2", typeOID: TypeOID.numeric),
            .init(name: "t", typeOID: TypeOID.text),
            .init(name: "o", typeOID: TypeOID.oid),
            .init(name: "small", typeOID: TypeOID.int2),
            .init(name: "big", typeOID: TypeOID.int8),
            .init(name: "f4", typeOID: TypeOID.float4),
            .init(name: "cash", typeOID: TypeOID.money),
            .init(name: "d", typeOID: 1082),
        ]
        let output = renderResult(json, columns: columns, rows: [
            ["1", "apple", "1.50", "t", #"{"a": [1, 2]}"#, #"[1,"x"]"#, "1e+100", "NaN", nil, "26", "-32768", "9223372036854775807", "1.5e-07", "$1.00", "2024-02-29"],
            ["-2", "pear", "-Infinity", "f", "null", "{}", "-0", "Infinity", "x", "0", "0", "-1", "-Infinity", "-$3.00", "1999-12-31"],
        ])
        #expect(text(output) == """
            [{"id": 1, "name": "apple", "price": 1.50, "ok": true, "doc": {"a": [1, 2]}, "raw": [1,"x"], \
            "f": 1e+100, "n2": "NaN", "t": null, "o": 26, "small": -32768, "big": 9223372036854775807, \
            "f4": 1.5e-07, "cash": "$1.00", "d": "2024-02-29"},
            {"id": -2, "name": "pear", "price": "-Infinity", "ok": false, "doc": null, "raw": {}, \
            "f": -0, "n2": "Infinity", "t": "x", "o": 0, "small": 0, "big": -1, \
            "f4": "-Infinity", "cash": "-$3.00", "d": "1999-12-31"}]

            """)
    }

    @Test func escapesStrings() {
        let columns: [ColumnDescription] = [
            .init(name: #"we"ird\name"#, typeOID: TypeOID.text),
            .init(name: "n", typeOID: TypeOID.int4),
        ]
        let output = renderResult(json, columns: columns, rows: [
            ["say \"hi\"\\ \n\t\r\u{8}\u{C}\u{1}\u{1F}\u{7F}é日😀", "1"],
            ["a long value with a \"quote\" past the eighth byte", "not a number"],
        ])
        #expect(text(output) == """
            [{"we\\"ird\\\\name": "say \\"hi\\"\\\\ \\n\\t\\r\\b\\f\\u0001\\u001f\u{7F}é日😀", "n": 1},
            {"we\\"ird\\\\name": "a long value with a \\"quote\\" past the eighth byte", "n": "not a number"}]

            """)
    }

    @Test func rejectsMalformedNumbersAndBools() {
        let columns: [ColumnDescription] = [
            .init(name: "n", typeOID: TypeOID.numeric),
            .init(name: "b", typeOID: TypeOID.bool),
        ]
        let values = ["01", "1.", ".5", "-", "1e", "+1", "1.5E+3", "0.0e-0", ""]
        let rows = values.map { [$0, "x"] as [String?] }
        let output = renderResult(json, columns: columns, rows: rows)
        #expect(text(output) == """
            [{"n": "01", "b": "x"},
            {"n": "1.", "b": "x"},
            {"n": ".5", "b": "x"},
            {"n": "-", "b": "x"},
            {"n": "1e", "b": "x"},
            {"n": "+1", "b": "x"},
            {"n": 1.5E+3, "b": "x"},
            {"n": 0.0e-0, "b": "x"},
            {"n": "", "b": "x"}]

            """)
    }

    @Test func emptyResult() {
        let output = renderResult(json, columns: [.init(name: "a", typeOID: TypeOID.int4)], rows: [])
        #expect(text(output) == "[]\n")
    }

    @Test func duplicateColumnNamesKeptInOrder() {
        let columns: [ColumnDescription] = [
            .init(name: "a", typeOID: TypeOID.int4),
            .init(name: "a", typeOID: TypeOID.text),
            .init(name: "?column?", typeOID: TypeOID.int4),
        ]
        let output = renderResult(json, columns: columns, rows: [["1", "two", "3"]])
        #expect(text(output) == "[{\"a\": 1, \"a\": \"two\", \"?column?\": 3}]\n")
    }

    @Test func zeroColumns() {
        let output = renderResult(json, columns: [], rows: [[], []])
        #expect(text(output) == "[{},\n{}]\n")
    }

    @Test func commandWithoutRows() {
        let output = renderResult(json, columns: nil, rows: [], commandTag: "INSERT 0 1")
        #expect(text(output) == "{\"command\": \"INSERT 0 1\"}\n")
    }

    @Test func returningRowsThenStatus() {
        let output = renderResult(json, columns: [.init(name: "id", typeOID: TypeOID.int4)], rows: [["7"]], commandTag: "INSERT 0 1")
        #expect(text(output) == "[{\"id\": 7}]\n{\"command\": \"INSERT 0 1\"}\n")
    }

    @Test func eachResultSetIsOneArray() {
        let output = renderedBytes(settings: json) { renderer in
            renderer.begin(columns: [.init(name: "a", typeOID: TypeOID.int4)])
            renderer.row(TextRowValues(["1"]))
            renderer.row(TextRowValues(["2"]))
            renderer.end(commandTag: "SELECT 2", rowCount: 2)
            renderer.command(tag: "CREATE TABLE")
            renderer.begin(columns: [.init(name: "b", typeOID: TypeOID.text)])
            renderer.end(commandTag: "SELECT 0", rowCount: 0)
        }
        #expect(text(output) == "[{\"a\": 1},\n{\"a\": 2}]\n{\"command\": \"CREATE TABLE\"}\n[]\n")
    }

    @Test func psqlDropsNoncharactersSoDoesJSON() {
        let output = renderResult(json, columns: [.init(name: "v", typeOID: TypeOID.text)], rows: [["a\u{10FFFF}b"]])
        #expect(text(output) == "[{\"v\": \"ab\"}]\n")
    }

    @Test func outputParsesAsJSON() throws {
        let columns: [ColumnDescription] = [
            .init(name: "t", typeOID: TypeOID.text),
            .init(name: "n", typeOID: TypeOID.numeric),
            .init(name: "j", typeOID: TypeOID.jsonb),
        ]
        var rows: [[String?]] = []
        for i in 0..<300 {
            let scalar = Unicode.Scalar(UInt8(i % 128))
            rows.append(["v\(i) \(Character(scalar)) \"\\ é", i % 7 == 0 ? "NaN" : "\(i).25", i % 5 == 0 ? nil : "{\"k\": [\(i)]}"])
        }
        let output = renderResult(json, columns: columns, rows: rows)
        let parsed = try JSONSerialization.jsonObject(with: Data(output)) as? [[String: Any]]
        #expect(parsed?.count == 300)
        #expect(parsed?[3]["t"] as? String == "v3 \u{3} \"\\ é")
    }
}
