import Foundation
import HookgateCore
import HookgateEmulator
import Synchronization

/// Calls a ``StripeAPI`` in process as a Stripe SDK would over HTTP, on a clock the test moves.
final class EmulatorTestClient: Sendable {
    static let apiKey = "sk_test_hookgateEmulatorTests"

    let api: StripeAPI
    /// Unix milliseconds the API reads as now (a fixed start, moved by ``advance(seconds:)`` only).
    private let clock: Clock

    /// - Parameter forwards: whether events count as sent to a webhook endpoint.
    init(forwards: Bool = false) {
        let clock = Clock()
        self.api = StripeAPI(forwards: forwards) { clock.milliseconds.withLock { $0 } }
        self.clock = clock
    }

    /// A client of `api`, made with its own clock.
    init(api: StripeAPI) {
        self.api = api
        self.clock = Clock()
    }

    private final class Clock: Sendable {
        let milliseconds = Mutex<Int64>(1_796_400_000_000)
    }

    /// Moves the API's clock on.
    func advance(seconds: Int64) {
        self.clock.milliseconds.withLock { $0 += seconds * 1000 }
    }

    /// The API's clock in Unix seconds.
    var now: Int64 { self.clock.milliseconds.withLock { $0 } / 1000 }

    /// A decoded answer.
    struct Answer {
        let status: Int
        let response: APIResponse
        let json: JSONValue

        /// `json[key]` as a string.
        func string(_ key: String) -> String? {
            if case .string(let value)? = self.json[key] { return value }
            return nil
        }

        /// The error object's member `key` as a string.
        func error(_ key: String) -> String? {
            if case .string(let value)? = self.json["error"]?[key] { return value }
            return nil
        }
    }

    /// POSTs form `parameters` (already encoded pairs) to `path`.
    func post(
        _ path: String,
        _ parameters: [(String, String)] = [],
        key: String? = EmulatorTestClient.apiKey,
        idempotencyKey: String? = nil
    ) throws -> Answer {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/x-www-form-urlencoded")]
        if let key { headers.append(("Authorization", "Bearer \(key)")) }
        if let idempotencyKey { headers.append(("Idempotency-Key", idempotencyKey)) }
        let body = Self.encode(parameters)
        return try self.send(APIRequest(method: "POST", target: path, headers: headers, body: Array(body.utf8)))
    }

    /// GETs `path` with query `parameters`.
    func get(
        _ path: String,
        _ parameters: [(String, String)] = [],
        key: String? = EmulatorTestClient.apiKey
    ) throws
        -> Answer
    {
        let query = Self.encode(parameters)
        let headers: [(name: String, value: String)] = key.map { [("Authorization", "Bearer \($0)")] } ?? []
        return try self.send(
            APIRequest(method: "GET", target: query.isEmpty ? path : path + "?" + query, headers: headers)
        )
    }

    /// Sends `request` as it is.
    func send(_ request: APIRequest) throws -> Answer {
        let response = self.api.respond(to: request)
        return Answer(status: response.status, response: response, json: try JSONValueParser.parse(response.body))
    }

    /// A confirmed PaymentIntent paid with `paymentMethod`; its answer.
    func pay(
        amount: Int = 2000,
        with paymentMethod: String = "pm_card_visa",
        orderID: String = "ord_1"
    ) throws -> Answer {
        try self.post(
            "/v1/payment_intents",
            [
                ("amount", String(amount)), ("currency", "usd"), ("payment_method", paymentMethod),
                ("confirm", "true"), ("metadata[order_id]", orderID),
            ]
        )
    }

    private static func encode(_ parameters: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return parameters.map {
            $0.0.addingPercentEncoding(withAllowedCharacters: allowed)! + "="
                + $0.1.addingPercentEncoding(withAllowedCharacters: allowed)!
        }.joined(separator: "&")
    }
}
