import Foundation

/// A file operation that failed, with the system's reason.
public struct FileError: Error, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var code: Int32
    public init(path: String, operation: String, code: Int32 = errno) {
        self.path = path
        self.operation = operation
        self.code = code
    }
    public var description: String { "cannot \(operation) \(path): \(String(cString: strerror(code)))" }
}
