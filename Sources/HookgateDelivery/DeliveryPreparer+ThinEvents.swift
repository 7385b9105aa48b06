import HookgateCore
import HookgateStore

extension DeliveryPreparer {
    /// The thin event whose related object must be fetched before `record` can be prepared: its endpoint
    /// normalizes, its body is a thin event, and the type it stands for maps to a catalog event. Any other
    /// thin event is forwarded raw, as without an API key.
    func thinEventToFetch(_ record: DeliveryRecord) -> ThinEvent? {
        guard case .normalized(let options)? = self.endpoints[record.received.endpoint],
            let thin = ThinEvent([UInt8](record.received.body)),
            case .catalog? = options.mapping.target(forStripeType: thin.snapshotType)
        else { return nil }
        return thin
    }
}
