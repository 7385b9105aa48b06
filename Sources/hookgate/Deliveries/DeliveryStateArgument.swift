import ArgumentParser
import HookgateStore

/// `--state`: one of the stored states, named as stored.
struct DeliveryStateArgument: ExpressibleByArgument, Sendable, Hashable {
    let state: DeliveryState

    init?(argument: String) {
        guard let state = DeliveryState(rawValue: argument) else { return nil }
        self.state = state
    }

    static var allValueStrings: [String] { DeliveryState.allCases.map(\.rawValue) }
}
