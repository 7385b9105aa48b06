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

    /// The value of the parameter `name` in `request`'s form, if it has one.
    static func value(_ name: String, in request: StripeRequest) -> String? {
        self.parameters(request.form).first { $0.name == name }?.value
    }

    private static func decoded(_ text: Substring) -> String {
        let spaced = String(text).replacing("+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
