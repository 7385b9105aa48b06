import HookgateCore
public import NIOHTTP1

/// An error answer of the ingress: an HTTP status, a stable code and a message for people.
///
/// The body is always `{"error":"<code>","message":"..."}` with `Content-Type: application/json`. Codes are a
/// bounded set, so they double as metric labels; messages never hold secrets, signatures, headers or bodies.
public struct ErrorResponse: Error, Hashable, Sendable {
    /// The stable code, e.g. `payload_too_large`.
    public var code: String
    /// The HTTP status.
    public var status: HTTPResponseStatus
    /// A sentence for people.
    public var message: String
    /// Seconds for a `Retry-After` header, if any.
    public var retryAfterSeconds: Int?

    public init(code: String, status: HTTPResponseStatus, message: String, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.status = status
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The JSON body.
    public var body: String {
        #"{"error":"\#(JSONString.escaped(self.code))","message":"\#(JSONString.escaped(self.message))"}"#
    }
}

extension ErrorResponse {
    static let methodNotAllowed = Self(
        code: "method_not_allowed",
        status: .methodNotAllowed,
        message: "webhooks are delivered with POST"
    )
    static let notFound = Self(code: "not_found", status: .notFound, message: "no webhook endpoint has this path")
    /// The admin listener's 404 (same code, words for its own routes).
    static let adminRouteNotFound = Self(
        code: "not_found",
        status: .notFound,
        message: "the admin listener has no route at this path"
            + " (it serves /healthz, /readyz, /metrics, /deliveries and /replay)"
    )
    static let unsupportedMediaType = Self(
        code: "unsupported_media_type",
        status: .unsupportedMediaType,
        message: "the body must be application/json"
    )
    static let unsupportedEncoding = Self(
        code: "unsupported_media_type",
        status: .unsupportedMediaType,
        message: "the only content encoding accepted is gzip"
    )
    static let payloadTooLarge = Self(
        code: "payload_too_large",
        status: .payloadTooLarge,
        message: "the body exceeds the endpoint's size limit"
    )
    static let decompressionBomb = Self(
        code: "payload_too_large",
        status: .payloadTooLarge,
        message: "the gzip body exceeds the decompressed size or ratio limit"
    )
    static let headerTooLarge = Self(
        code: "header_too_large",
        status: .requestHeaderFieldsTooLarge,
        message: "the request line and headers exceed the size limit"
    )
    static let malformedRequest = Self(
        code: "malformed_request",
        status: .badRequest,
        message: "the request is not valid HTTP/1.1"
    )
    static let malformedBody = Self(
        code: "malformed_body",
        status: .badRequest,
        message: "the gzip body cannot be decoded"
    )
    static let requestTimeout = Self(
        code: "request_timeout",
        status: .requestTimeout,
        message: "the request was not received in time"
    )
    static let sourceNotAllowed = Self(
        code: "source_not_allowed",
        status: .forbidden,
        message: "the client address may not call this endpoint"
    )
    static let notAnEvent = Self(
        code: "not_an_event",
        status: .badRequest,
        message: "the body is not a JSON object with a string id, a string type and a created time"
            + " (an integer, or an RFC 3339 string)"
    )
    static func wrongMode(expected: String) -> Self {
        Self(code: "wrong_mode", status: .badRequest, message: "the endpoint only accepts \(expected)-mode events")
    }
    static let storeOverloaded = Self(
        code: "store_overloaded",
        status: .serviceUnavailable,
        message: "too many deliveries are waiting to be stored",
        retryAfterSeconds: 1
    )
    static let storeUnavailable = Self(
        code: "store_unavailable",
        status: .serviceUnavailable,
        message: "the delivery could not be stored",
        retryAfterSeconds: 5
    )

    /// The answer to a failed signature check: 400 for a missing or unreadable header, 401 otherwise.
    init(verification error: VerificationError) {
        let status: HTTPResponseStatus =
            switch error.code {
            case .signatureMissing, .signatureMalformed: .badRequest
            default: .unauthorized
            }
        self.init(code: error.code.rawValue, status: status, message: error.reason)
    }
}
