/// Runs libFuzzer on a harness from a `main.swift`: SwiftPM gives each executable an entry point of its own,
/// so libFuzzer's `main` never runs, and each harness calls `LLVMFuzzerRunDriver` (libFuzzer's documented C
/// entry for this case) with the process's arguments instead.

/// The harness of this process (one per process, set once before the driver starts).
nonisolated(unsafe) private var harness: (@MainActor (UnsafePointer<UInt8>, Int) -> CInt)?

/// One byte to point at for an empty input.
nonisolated(unsafe) private var emptyInput: UInt8 = 0

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Runs libFuzzer with the command line's options on `body`, which gets each input (its bytes and count) and
/// returns 0; returns libFuzzer's exit status. libFuzzer calls it on the main thread, one input at a time.
@MainActor
public func runFuzzer(_ body: @escaping @MainActor (UnsafePointer<UInt8>, Int) -> CInt) -> CInt {
    harness = body
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, count in
        MainActor.assumeIsolated {
            if let data { harness!(data, count) } else { withUnsafePointer(to: &emptyInput) { harness!($0, 0) } }
        }
    }
}
