public import HookgateCore

/// An error answered in Stripe's shape, `{"error":{"type":..,"code":..,"message":..,"param":..}}`, with
/// Stripe's status for it.
public struct StripeAPIError: Error, Sendable {
    /// Stripe's error types.
    public enum Kind: String, Sendable {
        case invalidRequest = "invalid_request_error"
        case card = "card_error"
        case idempotency = "idempotency_error"
        case api = "api_error"
    }

    public let status: Int
    public let kind: Kind
    public let code: String?
    public let message: String
    public let param: String?
    /// More members of the error object (`decline_code`, `payment_intent`, `charge`), in order.
    public var extra: [JSONValue.Member] = []
    /// Whether the request got as far as running (Stripe saves the result for its idempotency key only then).
    public var executed = false

    /// The body: `{"error":{...}}`.
    public var json: JSONValue {
        var members: [JSONValue.Member] = []
        if let code { members.append(.init(key: "code", value: .string(code))) }
        if let code {
            members.append(
                .init(
                    key: "doc_url",
                    value: .string("https://stripe.com/docs/error-codes/" + code.replacing("_", with: "-"))
                )
            )
        }
        members.append(.init(key: "message", value: .string(self.message)))
        if let param { members.append(.init(key: "param", value: .string(param))) }
        members += self.extra
        members.append(.init(key: "type", value: .string(self.kind.rawValue)))
        return .object([.init(key: "error", value: .object(members))])
    }

    /// 401: no or an unusable API key. (The key itself is never repeated.)
    static func unauthorized(_ message: String) -> Self {
        Self(status: 401, kind: .invalidRequest, code: nil, message: message, param: nil)
    }

    /// 400 `parameter_invalid_*` / `parameter_missing` / others: a bad request.
    static func invalid(_ code: String?, _ message: String, param: String? = nil) -> Self {
        Self(status: 400, kind: .invalidRequest, code: code, message: message, param: param)
    }

    /// 404 `resource_missing`: `No such payment_intent: 'pi_...'` (400 when a parameter names it).
    static func noSuch(_ what: String, _ id: String, param: String = "id", status: Int = 404) -> Self {
        Self(
            status: status,
            kind: .invalidRequest,
            code: "resource_missing",
            message: "No such \(what): '\(Self.bounded(id))'",
            param: param
        )
    }

    /// 404 for a path the emulator does not serve.
    static func unrecognizedURL(method: String, path: String) -> Self {
        Self(
            status: 404,
            kind: .invalidRequest,
            code: nil,
            message: "Unrecognized request URL (\(method): \(Self.bounded(path))). Hookgate's emulator serves only "
                + "a subset of Stripe's API: see hookgate emulate --help.",
            param: nil
        )
    }

    /// 400 `idempotency_error`: the key was used with other parameters.
    static func idempotencyConflict(key: String) -> Self {
        Self(
            status: 400,
            kind: .idempotency,
            code: nil,
            message: "Keys for idempotent requests can only be used with the same parameters they were first used "
                + "with. Try using a key other than '\(Self.bounded(key))' if you meant to execute a different request.",
            param: nil
        )
    }

    /// A user-supplied text cut to 200 characters for a message.
    static func bounded(_ text: String) -> String {
        text.count > 200 ? String(text.prefix(200)) + "..." : text
    }
}
