/// The bound of one ``DeliveryReader/storedEventIDs(_:endpoint:)`` call.
public enum EventIDLookup {
    /// The most event ids one call looks up: a full page of Stripe's Events API.
    public static let maximumCount = 100

    /// Checks that `eventIDs` fit one call.
    /// - Throws: ``StoreError/Code/invalidConfiguration`` when there are more than ``maximumCount``.
    static func validate(_ eventIDs: [String]) throws(StoreError) {
        guard eventIDs.count <= maximumCount else {
            throw .invalidConfiguration("at most \(maximumCount) event ids per lookup, not \(eventIDs.count)")
        }
    }
}
