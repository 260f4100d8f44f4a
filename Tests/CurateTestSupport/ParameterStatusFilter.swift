/// Drops the server's ParameterStatus messages for one parameter from the bytes a server sends,
/// so a proxied connection looks like one to a server that does not report that parameter (e.g.
/// `default_transaction_read_only`, reported only since PostgreSQL 14). It reads the protocol's
/// typed messages (a type byte, then a 32-bit length), so the client must connect without TLS and
/// GSS encryption (`sslmode=disable gssencmode=disable`): their one-byte answers have no type.
public struct ParameterStatusFilter {
    let parameter: String
    private var pending: [UInt8] = []

    public init(parameter: String) {
        self.parameter = parameter
    }

    /// The bytes to pass on for `bytes` received: whole messages only, without the dropped ones.
    public mutating func pass(_ bytes: some Collection<UInt8>) -> [UInt8] {
        pending.append(contentsOf: bytes)
        var output: [UInt8] = []
        var start = 0
        while pending.count - start >= 5 {
            let length = pending[(start + 1)...(start + 4)].reduce(0) { $0 << 8 | Int($1) }
            let end = start + 1 + length
            guard end <= pending.count else { break }
            if !isDropped(pending[start..<end]) { output.append(contentsOf: pending[start..<end]) }
            start = end
        }
        pending.removeFirst(start)
        return output
    }

    /// A ParameterStatus message ('S') whose name is the parameter.
    private func isDropped(_ message: ArraySlice<UInt8>) -> Bool {
        guard message.first == UInt8(ascii: "S") else { return false }
        let body = message.dropFirst(5)
        guard let nul = body.firstIndex(of: 0) else { return false }
        return String(decoding: body[..<nul], as: UTF8.self) == parameter
    }
}
