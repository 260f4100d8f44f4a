import CurateKit

/// Streams one query's rows to the plugin as `{"type":"rows","id":..,"rows":[[..],..]}` lines,
/// encoded straight from libpq's memory, then the `done` line. A batch is sent when it holds
/// `batch` rows or 256 KiB, or when a row arrives 100 ms or more after the last batch was sent,
/// so the plugin sees a slow query's rows as they come. The last batch and `done` go in one
/// write (one wake-up of the plugin for a small query).
final class RowRelay: RowSink {
    static let defaultBatch = 1000
    static let maximumBytes = 256 << 10

    private let process: PluginProcess
    private let id: JSONValue?
    private let batch: Int
    private let timeout: Double
    private let cancelled: () -> Bool
    private var writer = JSONLineWriter(capacity: 1 << 16)
    /// The `{"type":"rows",...,"rows":[` that opens each batch.
    private let batchHead: [UInt8]
    private var rowsInBatch = 0
    private var lastSend = PluginProcess.now()
    private(set) var rowCount = 0

    /// `encoding`: the session's client encoding, named beside a value that is not UTF-8.
    init(process: PluginProcess, id: JSONValue?, batch: Int, timeout: Double, encoding: String, cancelled: @escaping () -> Bool) {
        writer.encoding = encoding
        self.process = process
        self.id = id
        self.batch = batch
        self.timeout = timeout
        self.cancelled = cancelled
        var head = JSONLineWriter()
        head.raw("{\"type\":\"rows\"")
        PluginProtocol.appendID(id, to: &head)
        head.raw(",\"rows\":[")
        batchHead = head.bytes
    }

    func begin(columns: [ColumnDescription]) throws {}

    func row(_ values: some RowValues) throws {
        if rowsInBatch == 0 {
            writer.raw(batchHead)
        } else {
            writer.raw(UInt8(ascii: ","))
        }
        writer.raw(UInt8(ascii: "["))
        for column in 0..<values.count {
            if column > 0 { writer.raw(UInt8(ascii: ",")) }
            if values.isNull(column) {
                writer.raw("null")
            } else {
                values.withValue(column) { writer.string($0) }
            }
        }
        writer.raw(UInt8(ascii: "]"))
        rowsInBatch += 1
        rowCount += 1
        if rowsInBatch >= batch || writer.count >= Self.maximumBytes || PluginProcess.now() - lastSend >= 0.1 {
            try sendBatch()
        }
    }

    private func closeBatch() {
        guard rowsInBatch > 0 else { return }
        writer.raw("]}\n")
        rowsInBatch = 0
    }

    private func sendBatch() throws {
        closeBatch()
        try process.write(writer.bytes, timeout: timeout, cancelled: cancelled)
        writer.removeAll()
        lastSend = PluginProcess.now()
    }

    /// Appends `done` after the last batch (sent by `flush`).
    func finish(tag: String, columns: [(name: String, type: String, oid: UInt32)], transaction: String) {
        closeBatch()
        PluginProtocol.done(id: id, tag: tag, columns: columns, rowCount: rowCount, transaction: transaction, into: &writer)
    }

    /// Drops a batch not yet sent (the statement failed: an error reply follows instead).
    func discardPending() {
        writer.removeAll()
        rowsInBatch = 0
    }

    func flush() throws {
        guard writer.count > 0 else { return }
        try process.write(writer.bytes, timeout: timeout, cancelled: cancelled)
        writer.removeAll()
    }
}
