import CurateKit
import Foundation

/// A private temporary folder (mode 0700, under `$TMPDIR` or /tmp) for restore lists and the
/// output of child programs; removed with everything in it when released.
final class ScratchFolder {
    let path: String

    init() throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/curate-backup.XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CommandError("cannot create a private temporary folder in \(base): \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
    }

    /// A path inside the folder.
    func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to `name` (mode 0600 in the 0700 folder), without syncing it to disk: it is
    /// thrown away with the folder, and a sync would delay the program that reads it.
    func save(_ text: String, as name: String) throws {
        let descriptor = open(file(name), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileError(path: file(name), operation: "create") }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw FileError(path: file(name), operation: "write") }
    }

    /// The text a child wrote to `name` (empty when it wrote nothing).
    func text(of name: String) -> String {
        FileManager.default.contents(atPath: file(name)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
