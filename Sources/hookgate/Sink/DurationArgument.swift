import ArgumentParser

/// A duration written the way people type it on a command line: `200ms`, `2s`, `1.5s`, `1min`, or `0`.
struct DurationArgument: ExpressibleByArgument, Sendable, Hashable {
    /// The duration in milliseconds.
    let milliseconds: Int64

    init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    init?(argument: String) {
        let units: [(suffix: String, milliseconds: Double)] = [("ms", 1), ("min", 60_000), ("s", 1_000)]
        if argument == "0" {
            self.milliseconds = 0
            return
        }
        for unit in units where argument.hasSuffix(unit.suffix) {
            guard let amount = Double(argument.dropLast(unit.suffix.count)), amount >= 0, amount.isFinite,
                amount * unit.milliseconds < Double(Int64.max)
            else { return nil }
            self.milliseconds = Int64((amount * unit.milliseconds).rounded())
            return
        }
        return nil
    }

    var defaultValueDescription: String { "\(self.milliseconds)ms" }
}
