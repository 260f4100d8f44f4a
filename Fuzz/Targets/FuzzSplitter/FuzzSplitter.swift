#if canImport(Glibc)
import Glibc
#endif
import CurateFuzzEntryPoints

/// libFuzzer's entry point: one input through `FuzzEntryPoints.splitter`; a broken invariant aborts (a crash).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let problems = FuzzEntryPoints.splitter(Array(UnsafeBufferPointer(start: data, count: size)))
    if !problems.isEmpty {
        let report = Array(problems.map { "invariant broken: \($0)\n" }.joined().utf8)
        _ = report.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        abort()
    }
    return 0
}
