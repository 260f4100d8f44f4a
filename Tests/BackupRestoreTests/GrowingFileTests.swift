import CurateKit
import Foundation
import Testing
@testable import BackupPlugin

/// The read that follows a file while another program writes it (a custom backup's pg_dump).
@Suite("A growing file")
struct GrowingFileTests {
    /// A file written on another thread in `pieces` small writes with pauses, as pg_dump writes.
    static func writeSlowly(_ path: String, pieces: [[UInt8]], then end: @escaping @Sendable () -> Void) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            for piece in pieces {
                _ = piece.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                usleep(2_000)
            }
            close(descriptor)
            end()
            done.signal()
        }
        return done
    }

    /// A file not yet written, in a folder of its own, and its follower.
    static func followedFile() throws -> (path: String, file: GrowingFile, folder: String) {
        let folder = try BackupRestoreIntegrationTests.temporaryFolder()
        let path = folder + "/dump.partial"
        return (path, try GrowingFile(path: path), folder)
    }

    @Test("every byte written in small pieces with pauses is read once, in order, and the writer's end ends the read")
    func followsSmallWrites() throws {
        let (path, file, folder) = try Self.followedFile()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let pieces = (0..<120).map { index in [UInt8](repeating: UInt8(index), count: 1 + index * 37 % 3000) }
        let written = Self.writeSlowly(path, pieces: pieces) { file.writerEnded() }
        let source = file.source()
        var read: [UInt8] = []
        var reads = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try source(buffer)
            if count == 0 { break }
            reads += 1
            read.append(contentsOf: buffer[0..<count])
        }
        written.wait()
        #expect(read == pieces.flatMap { $0 })
        // Reads gather what was written meanwhile rather than one piece each.
        #expect(reads < pieces.count)
    }

    @Test("a read waiting for more bytes stops when the backup is abandoned")
    func stopsWhileWaiting() throws {
        let (path, file, folder) = try Self.followedFile()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        let source = file.source()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 16)
        defer { buffer.deallocate() }
        #expect(try source(buffer) == 3)
        // Nothing more comes: the next read waits until stop() ends it.
        Thread.detachNewThread { usleep(20_000); file.stop() }
        #expect(throws: CommandCancelled.self) { _ = try source(buffer) }
    }
}
