import ArgumentParser
import HookgateCore

/// `--tolerance`, `--tolerance-past`, `--tolerance-future`, `--no-tolerance`.
struct ToleranceOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp("Seconds a signature's timestamp may lie in the past or the future.", valueName: "SECONDS")
    )
    var tolerance: Int64 = 300

    @Option(help: ArgumentHelp("Seconds a timestamp may lie in the past (default: --tolerance).", valueName: "SECONDS"))
    var tolerancePast: Int64?

    @Option(
        help: ArgumentHelp("Seconds a timestamp may lie in the future (default: --tolerance).", valueName: "SECONDS")
    )
    var toleranceFuture: Int64?

    @Flag(help: "Do not check the timestamp at all (0 is a real zero-second tolerance, not this).")
    var noTolerance = false

    func validate() throws {
        for (name, value) in [
            ("--tolerance", self.tolerance), ("--tolerance-past", self.tolerancePast ?? 0),
            ("--tolerance-future", self.toleranceFuture ?? 0),
        ] where value < 0 {
            throw ValidationError("\(name) must not be negative")
        }
    }

    /// The tolerance asked for.
    var value: TimestampTolerance {
        if self.noTolerance { return .disabled }
        return TimestampTolerance(
            past: self.tolerancePast ?? self.tolerance,
            future: self.toleranceFuture ?? self.tolerance
        )
    }
}
