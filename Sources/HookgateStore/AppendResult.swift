/// What ``DeliveryStore/append(_:)`` did. Either way the delivery is committed when it is returned.
public enum AppendResult: Hashable, Sendable {
    /// The delivery is new and was stored under this id.
    case stored(DeliveryID)
    /// A delivery with the same endpoint and event id was already stored under this id; nothing was written.
    case duplicate(DeliveryID)

    /// The id of the stored delivery, new or existing.
    public var id: DeliveryID {
        switch self {
        case .stored(let id), .duplicate(let id): id
        }
    }

    /// Whether the event had been seen before.
    public var isDuplicate: Bool {
        if case .duplicate = self { true } else { false }
    }
}
