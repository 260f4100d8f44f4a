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
    var oid: UInt32 { UInt32(PQoidValue(raw)) }
    /// Whether psql prints this result's status line, and so sets LASTOID from it: a statement
    /// without rows, or INSERT/UPDATE/DELETE ... RETURNING.
    var reportsOID: Bool {
        switch status {
        case PGRES_COMMAND_OK: return true
        case PGRES_TUPLES_OK:
            let tag = commandTag
            return tag.hasPrefix("INSERT") || tag.hasPrefix("UPDATE") || tag.hasPrefix("DELETE")
        default: return false
        }
    }

    var columns: [ColumnDescription] {
        (0..<Int32(PQnfields(raw))).map { index in
            ColumnDescription(name: String(cString: PQfname(raw, index)), typeOID: PQftype(raw, index))
        }
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

    /// The server's error, field by field; nil when the result is not an error.
    func serverError(statement: String?) -> ServerError? {
        guard status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR else { return nil }
        return Self.serverError(in: raw, statement: statement)
    }

    /// The error or notice in a result libpq owns (a notice's, which libpq frees itself), with
    /// the text libpq made of it.
    static func serverError(in raw: OpaquePointer, statement: String?) -> ServerError {
        func field(_ code: Character) -> String? {
            PQresultErrorField(raw, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        let text = String(cString: PQresultErrorMessage(raw)).droppingFinalNewline()
        var error = ServerError(
            severity: field("V") ?? field("S") ?? "ERROR",
            sqlState: field("C") ?? "XX000",
            message: field("M") ?? text.trimmingTrailingNewlines()
        )
        error.detail = field("D")
        error.hint = field("H")
        error.position = field("P").flatMap { Int($0) }
        error.internalPosition = field("p").flatMap { Int($0) }
        error.internalQuery = field("q")
        error.context = field("W")
        error.schemaName = field("s")
        error.tableName = field("t")
        error.columnName = field("c")
        error.dataTypeName = field("d")
        error.constraintName = field("n")
        error.sourceFile = field("F")
        error.sourceLine = field("L")
        error.sourceFunction = field("R")
        error.statement = statement
        // Last: setting a field above drops the text.
        error.libpqText = text
        if let verbose = PQresultVerboseErrorMessage(raw, PQERRORS_VERBOSE, PQSHOW_CONTEXT_ALWAYS) {
            error.libpqVerboseText = String(cString: verbose).droppingFinalNewline()
            PQfreemem(verbose)
        }
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

    /// Without one final newline: psql's message printer drops exactly one before adding its own.
    func droppingFinalNewline() -> String {
        hasSuffix("\n") ? String(dropLast()) : self
    }
}
