import CLibPQ

/// Owns one libpq `PGresult` and frees it; the only place result pointers live.
final class PGResult {
    let raw: OpaquePointer

    init(_ raw: OpaquePointer) { self.raw = raw }

    deinit { PQclear(raw) }

    var status: ExecStatusType { PQresultStatus(raw) }
    var rowCount: Int { Int(PQntuples(raw)) }
    var columnCount: Int { Int(PQnfields(raw)) }
    var commandTag: String { String(cString: PQcmdStatus(raw)) }
    /// For a COPY result: whether the data is in binary format.
    var isBinary: Bool { PQbinaryTuples(raw) != 0 }

    var columns: [ColumnDescription] {
        (0..<Int32(PQnfields(raw))).map { index in
            ColumnDescription(name: String(cString: PQfname(raw, index)), typeOID: PQftype(raw, index))
        }
    }

    /// The columns' type modifiers (`PQfmod`: a varchar's length, a numeric's precision).
    var typeModifiers: [Int32] {
        (0..<Int32(PQnfields(raw))).map { PQfmod(raw, $0) }
    }

    @inline(__always)
    func isNull(row: Int, column: Int) -> Bool {
        PQgetisnull(raw, Int32(row), Int32(column)) != 0
    }

    @inline(__always)
    func bytes(row: Int, column: Int) -> UnsafeRawBufferPointer {
        let length = Int(PQgetlength(raw, Int32(row), Int32(column)))
        guard let base = PQgetvalue(raw, Int32(row), Int32(column)) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base, count: length)
    }

    func string(row: Int, column: Int) -> String? {
        if isNull(row: row, column: column) { return nil }
        return String(cString: PQgetvalue(raw, Int32(row), Int32(column)))
    }

    func errorField(_ code: Character) -> String? {
        guard let value = PQresultErrorField(raw, Int32(code.asciiValue!)) else { return nil }
        return String(cString: value)
    }

    /// The server's error, field by field; nil when the result is not an error.
    func serverError(statement: String?) -> ServerError? {
        guard status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR else { return nil }
        var error = ServerError(
            severity: errorField("V") ?? errorField("S") ?? "ERROR",
            sqlState: errorField("C") ?? "XX000",
            message: errorField("M") ?? String(cString: PQresultErrorMessage(raw)).trimmingTrailingNewlines()
        )
        error.detail = errorField("D")
        error.hint = errorField("H")
        error.position = errorField("P").flatMap { Int($0) }
        error.internalPosition = errorField("p").flatMap { Int($0) }
        error.internalQuery = errorField("q")
        error.context = errorField("W")
        error.schemaName = errorField("s")
        error.tableName = errorField("t")
        error.columnName = errorField("c")
        error.dataTypeName = errorField("d")
        error.constraintName = errorField("n")
        error.sourceFile = errorField("F")
        error.sourceLine = errorField("L")
        error.sourceFunction = errorField("R")
        error.statement = statement
        return error
    }
}

/// One row of a single-row-mode (or buffered) result, read in place.
struct PGResultRow: RowValues {
    let result: PGResult
    let row: Int

    var count: Int { result.columnCount }

    @inline(__always)
    func isNull(_ column: Int) -> Bool { result.isNull(row: row, column: column) }

    @inline(__always)
    func withValue<R>(_ column: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(result.bytes(row: row, column: column))
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
