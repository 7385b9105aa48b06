import Foundation
import HookgateStore

/// A stored Stripe request's form (`application/x-www-form-urlencoded`) read back as its parameters, in order,
/// for showing: `amount` `1234`, `metadata[order_id]` `ord_1`.
enum StripeForm {
    /// One parameter: its name and value, percent-decoded (`+` as a space).
    struct Parameter: Hashable, Sendable {
        var name: String
        var value: String
    }

    /// The parameters of `form`, in the order they were encoded; a part that does not decode is shown as it is.
    static func parameters(_ form: Data) -> [Parameter] {
        String(decoding: form, as: UTF8.self).split(separator: "&").map { part in
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return Parameter(name: self.decoded(pair[0]), value: pair.count > 1 ? self.decoded(pair[1]) : "")
        }
    }

    /// The values a listing shows of `request`'s form, decoded once: the order id, the amount (nil: all that
    /// is left, for a refund) and the currency.
    static func summary(of request: StripeRequest) -> (orderID: String?, amount: String?, currency: String?) {
        let parameters = self.parameters(request.form)
        func value(_ name: String) -> String? { parameters.first { $0.name == name }?.value }
        return (value("metadata[order_id]"), value("amount"), value("currency"))
    }

    private static func decoded(_ text: Substring) -> String {
        let spaced = String(text).replacing("+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
