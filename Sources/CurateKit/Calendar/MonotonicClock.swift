#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Elapsed time (`CLOCK_MONOTONIC`): never moved by a change of the wall clock, so durations and
/// deadlines measured with it stay right.
public enum MonotonicClock {
    /// Nanoseconds since a fixed, unspecified start.
    public static func nanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    /// Seconds since the same start.
    public static func seconds() -> Double { Double(nanoseconds()) / 1e9 }
}
