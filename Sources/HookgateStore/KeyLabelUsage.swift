public import Foundation

/// How many recent deliveries of an endpoint one key label verified (the label only, never the key).
public struct KeyLabelUsage: Hashable, Sendable {
    /// The endpoint that received them.
    public var endpoint: String
    /// The label of the key that verified them; nil for deliveries stored without one.
    public var keyLabel: String?
    /// How many of the deliveries read it verified.
    public var count: Int
    /// When the latest of them was received.
    public var lastReceivedAt: Date

    /// Creates a count (backends build these from their rows).
    public init(endpoint: String, keyLabel: String?, count: Int, lastReceivedAt: Date) {
        self.endpoint = endpoint
        self.keyLabel = keyLabel
        self.count = count
        self.lastReceivedAt = lastReceivedAt
    }
}
