/// Where the data of `COPY ... FROM STDIN` comes from and the data of `COPY ... TO STDOUT` goes:
/// the shell's side of the COPY protocol (psql's `handleCopyIn`/`handleCopyOut`). The shell sets
/// one on the session while it runs a statement; without one, COPY to or from the client fails
/// instead of losing its data.
package protocol CopyDataStreams: AnyObject {
    /// Feeds `COPY ... FROM STDIN`: calls `send` with the data, block by block, until it ends
    /// (`send` returns false when the connection refused it: stop then). Returns nil when all the
    /// data was read, or the reason it was not (the COPY is then ended with that error, and the
    /// server rolls it back).
    func readCopyData(binary: Bool, send: (UnsafeRawBufferPointer) -> Bool) -> String?
    /// Takes `COPY ... TO STDOUT` data as it arrives: one row at a time (text and csv), or a block
    /// (binary).
    func writeCopyData(_ data: UnsafeRawBufferPointer)
    /// COPY TO STDOUT has sent its last row: the data is written out (and a failure to write it said).
    func finishCopyOut()
    /// Whether the COPY's status line (`COPY 3`) is printed after COPY TO STDOUT: psql leaves it
    /// out when it would land among the data (the result output), prints it otherwise (a file).
    var showsCopyOutStatus: Bool { get }
}
