import HookgateCore

/// Form-encodes query parameters the way Stripe reads them (`types%5B%5D=a&types%5B%5D=b` for `types[]`).
enum StripeAPIQuery {
    /// `?name=value&...` in ``FormEncoding``, or `""` for none.
    static func encoded(_ parameters: [(name: String, value: String)]) -> String {
        guard !parameters.isEmpty else { return "" }
        return "?" + FormEncoding.encoded(parameters)
    }
}
