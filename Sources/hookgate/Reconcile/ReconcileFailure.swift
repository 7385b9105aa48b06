import HookgateDelivery
import HookgateStore

/// Why a reconciliation stopped: Stripe's API or the store failed. The description never holds the API key.
enum ReconcileFailure: Error, CustomStringConvertible {
    /// A request to Stripe's API failed.
    case api(StripeAPIRequestError)
    /// Stripe's API answered something that is not a page of events.
    case invalidAnswer(String)
    /// The store could not be read or written.
    case store(StoreError)

    var description: String {
        switch self {
        case .api(let error): "Stripe's API: \(error)"
        case .invalidAnswer(let message): "Stripe's API: \(message)"
        case .store(let error): "the store: \(error)"
        }
    }
}
