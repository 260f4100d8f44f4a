#if canImport(Glibc)
import Glibc
#endif
import CurateFuzzEntryPoints

/// libFuzzer's entry point: one input through `FuzzEntryPoints.tokenizer`; a broken invariant aborts (a crash).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let problems = FuzzEntryPoints.tokenizer(Array(UnsafeBufferPointer(start: data, count: size)))
    if !problems.isEmpty {
        for problem in problems { fputs("invariant broken: \(problem)\n", stderr) }
        abort()
    }
    return 0
}
