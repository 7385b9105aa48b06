import HookgateCore
import Synchronization

/// Hookgate's emulator of a subset of Stripe's API: PaymentIntents, Refunds, Events (v1) and thin events
/// (v2), with Stripe's conventions — form-encoded parameters, Bearer test keys, Stripe's error shape,
/// idempotency keys, `Request-Id`. It answers requests as values; ``EmulatorServer`` puts it on a socket
/// and ``WebhookDispatcher`` sends the events it makes.
public final class StripeAPI: Sendable {
    /// The largest request body read.
    public static let maximumBodyBytes = 256 * 1024
    /// The `Server` header of every answer: the emulator never passes itself off as Stripe.
    public static let serverName = "Hookgate-Emulator (not Stripe)"

    private let ledger: Mutex<Ledger>
    /// Failures and delays injected on purpose.
    let faults: APIFaults
    /// How many more POSTs fail on purpose.
    private let failuresLeft: Mutex<Int>
    private let stateFile: EmulatorStateFile?
    private let forwards: Bool
    private let now: @Sendable () -> Int64
    private let batches: AsyncStream<[String]>.Continuation

    /// The ids of the events each request made, one element per request, in the order they were made (only
    /// when the API `forwards`).
    public let newEvents: AsyncStream<[String]>

    /// - Parameters:
    ///   - forwards: whether events are sent as webhooks (they start `pending`, not `none`).
    ///   - now: the current time in Unix milliseconds.
    ///   - faults: failures to answer on purpose.
    public convenience init(forwards: Bool, now: @escaping @Sendable () -> Int64, faults: APIFaults = APIFaults()) {
        self.init(forwards: forwards, now: now, faults: faults, ledger: Ledger(), stateFile: nil)
    }

    /// An API whose state is kept in the SQLite file at `statePath` (created when missing), starting from what
    /// it holds; events still `pending` there are the first batch of ``newEvents``, to be sent again.
    /// - Throws: when the file cannot be opened, created or read.
    public convenience init(
        forwards: Bool,
        now: @escaping @Sendable () -> Int64,
        faults: APIFaults = APIFaults(),
        statePath: String
    ) throws {
        let file = try EmulatorStateFile(path: statePath)
        self.init(forwards: forwards, now: now, faults: faults, ledger: try file.load(), stateFile: file)
        let pending = self.ledger.withLock { $0.events.filter { $0.delivery == .pending }.map(\.id) }
        if forwards, !pending.isEmpty { self.batches.yield(pending) }
    }

    private init(
        forwards: Bool,
        now: @escaping @Sendable () -> Int64,
        faults: APIFaults,
        ledger: Ledger,
        stateFile: EmulatorStateFile?
    ) {
        self.faults = faults
        self.failuresLeft = Mutex(faults.failFirst)
        self.forwards = forwards
        self.now = now
        self.ledger = Mutex(ledger)
        self.stateFile = stateFile
        (self.newEvents, self.batches) = AsyncStream.makeStream(of: [String].self)
    }

    /// No more events will be made: ends ``newEvents``.
    public func finish() {
        self.batches.finish()
    }

    /// Answers one request.
    public func respond(to request: APIRequest) -> APIResponse {
        let requestID = StripeIDs().request()
        var headers: [(name: String, value: String)] = [
            ("Server", Self.serverName), ("Request-Id", requestID), ("Stripe-Version", EventRecord.apiVersion),
        ]
        if request.method == "GET", request.path == "/" {
            return Self.answer(200, Self.banner, headers: headers)
        }
        if let refusal = APIKeyCheck.refusal(request.header("authorization")) {
            return Self.answer(refusal.status, refusal.json, headers: headers)
        }
        let key = request.header("idempotency-key")
        if let key { headers.append(("Idempotency-Key", key)) }
        if let key, key.count > IdempotencyLog.maximumKeyLength {
            let error = StripeAPIError.invalid(
                nil,
                "Idempotency keys are at most \(IdempotencyLog.maximumKeyLength) characters long.",
                param: nil
            )
            return Self.answer(error.status, error.json, headers: headers)
        }
        guard
            let parameters = FormParameters(
                decoding: request.method == "POST" ? Self.text(request.body) : request.query
            )
        else {
            let error = StripeAPIError.invalid(nil, "Invalid form-encoded parameters.", param: nil)
            return Self.answer(error.status, error.json, headers: headers)
        }
        let context = Ledger.Context(
            requestID: requestID,
            idempotencyKey: request.method == "POST" ? key : nil,
            now: self.now(),
            forwards: self.forwards
        )
        let fingerprint = "\(request.method) \(request.path) \(parameters.fingerprint)"
        return self.ledger.withLock { ledger in
            let response = self.run(
                request,
                parameters,
                fingerprint: fingerprint,
                context: context,
                headers: headers,
                ledger: &ledger
            )
            if request.method == "POST" {
                ledger.requests.append(
                    RequestLog.Entry(
                        id: requestID,
                        created: context.seconds,
                        method: request.method,
                        path: String(request.path),
                        idempotencyKey: context.idempotencyKey,
                        status: response.status,
                        replayed: response.header("Idempotent-Replayed") != nil
                    )
                )
            }
            return response
        }
    }

    /// Answers a request whose key and parameters were read: idempotent replay or conflict, or the ledger's
    /// answer (saved under its idempotency key when it ran), its changes written to the state file and its
    /// events handed to the dispatcher.
    private func run(
        _ request: APIRequest,
        _ parameters: FormParameters,
        fingerprint: String,
        context: Ledger.Context,
        headers: [(name: String, value: String)],
        ledger: inout Ledger
    ) -> APIResponse {
        if request.method == "POST", self.takeInjectedFailure() {
            let error = self.faults.error
            return Self.answer(error.status, error.json, headers: headers + self.faults.headers)
        }
        if let key = context.idempotencyKey, let saved = ledger.idempotency.entry(key) {
            guard saved.fingerprint == fingerprint else {
                let error = StripeAPIError.idempotencyConflict(key: key)
                return Self.answer(error.status, error.json, headers: headers)
            }
            var replay = saved.response
            replay.headers.append(("Idempotent-Replayed", "true"))
            return replay
        }
        var response: APIResponse
        let executed: Bool
        do throws(StripeAPIError) {
            let object = try ledger.handle(request, parameters, context: context)
            response = Self.answer(200, object, headers: headers)
            executed = true
        } catch {
            response = Self.answer(error.status, error.json, headers: headers)
            executed = error.executed
        }
        if let key = context.idempotencyKey, executed {
            ledger.saveIdempotent(key, IdempotencyLog.Entry(fingerprint: fingerprint, response: response))
        }
        if let failure = self.saveChanges(of: &ledger) {
            let error = StripeAPIError(
                status: 500,
                kind: .api,
                code: nil,
                message: "Hookgate's emulator could not write its state file: \(failure)",
                param: nil
            )
            response = Self.answer(error.status, error.json, headers: headers)
        }
        // Without a webhook endpoint nobody reads the stream: nothing is queued for it.
        if self.forwards, !ledger.newEvents.isEmpty { self.batches.yield(ledger.newEvents) }
        ledger.newEvents = []
        return response
    }

    /// The webhook body of event `id`: the snapshot event, or with `thin` the thin event.
    public func webhookBody(eventID id: String, thin: Bool) -> [UInt8]? {
        self.ledger.withLock { ledger in
            guard let event = ledger.event(id) else { return nil }
            return Array((thin ? event.thinJSON : event.json).serialized(indent: 2).utf8)
        }
    }

    /// The event's type, e.g. `payment_intent.succeeded`.
    public func eventType(_ id: String) -> String? {
        self.ledger.withLock { $0.event(id)?.type }
    }

    /// Records how event `id`'s webhook went (what `delivery_success` filters on); once one copy of an event
    /// was delivered it stays delivered.
    /// - Returns: why the state file could not be written, or `nil`.
    @discardableResult
    public func setDelivery(_ state: DeliveryState, eventID id: String) -> String? {
        self.ledger.withLock { ledger in
            ledger.setDelivery(state, eventID: id)
            return self.saveChanges(of: &ledger)
        }
    }

    /// Whether this POST is one of the first `--api-fail-first` that fail on purpose.
    private func takeInjectedFailure() -> Bool {
        self.failuresLeft.withLock { left in
            guard left > 0 else { return false }
            left -= 1
            return true
        }
    }

    /// Writes what the ledger's last change touched to the state file, if there is one; why it failed, or `nil`.
    private func saveChanges(of ledger: inout Ledger) -> String? {
        defer { ledger.changes = [] }
        guard let stateFile = self.stateFile, !ledger.changes.isEmpty else { return nil }
        do {
            try stateFile.save(ledger.changes, of: ledger)
            return nil
        } catch {
            return "\(error)"
        }
    }

    private static func answer(
        _ status: Int,
        _ body: JSONValue,
        headers: [(name: String, value: String)]
    ) -> APIResponse {
        APIResponse(
            status: status,
            headers: headers + [("Content-Type", "application/json")],
            body: Array((body.serialized(indent: 2) + "\n").utf8)
        )
    }

    private static func text(_ body: [UInt8]) -> Substring {
        Substring(String(decoding: body, as: UTF8.self))
    }

    /// `GET /`: what this server is.
    private static let banner = JSONValue.members([
        "emulator": .string("hookgate emulate"),
        "message": .string(
            "This is Hookgate's local emulator of a subset of Stripe's API, for development and tests. It is not "
                + "Stripe: nothing here moves money, every object is in test mode."
        ),
        "livemode": .bool(false),
    ])
}
