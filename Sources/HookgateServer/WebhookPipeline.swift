import Foundation
import HookgateCore
import HookgateStore
import Logging
import NIOCore
import NIOHTTP1

/// What the ingress does with one request after the HTTP checks: source address, signature, event envelope and
/// mode (``check(body:head:endpoint:peer:)``, synchronous and cheap, run by ``IngressConnectionHandler`` on
/// the event loop), then the store (``store(_:)``, the only step that suspends, run by the connection's async
/// loop), then the metrics and the log line (``finish(_:endpoint:startedAt:peer:target:)``).
struct WebhookPipeline: Sendable {
    let store: any DeliveryStore
    let metrics: GatewayMetrics
    let logger: Logger
    /// The budget of log lines for rejected requests.
    var rejectedLog = RejectedRequestLog(linesPerSecond: GatewayLimits().rejectedRequestLogLinesPerSecond)

    /// The client of one connection, resolved once when it is accepted.
    struct Peer: Sendable {
        /// `address:port` as logged and stored.
        var description: String
        /// The address without the port (one client's connections share it).
        var host: String
        /// The 4 or 16 address bytes, for the endpoints' allowed sources.
        var addressBytes: [UInt8]

        init(_ address: SocketAddress?) {
            self.description = address?.displayText ?? "unknown"
            switch address {
            case .v4?, .v6?:
                self.host = address?.ipAddress ?? ""
                self.addressBytes = IPAddressText.parse(self.host[...]) ?? []
            default:
                self.host = self.description
                self.addressBytes = []
            }
        }
    }

    /// The result of one request, for the answer, the log line and the metrics.
    struct Outcome: Sendable {
        var response: WebhookResponse
        var code: String
        var eventID: String?
        var keyLabel: String?

        init(response: WebhookResponse, code: String, eventID: String? = nil, keyLabel: String? = nil) {
            self.response = response
            self.code = code
            self.eventID = eventID
            self.keyLabel = keyLabel
        }

        /// The outcome of a rejected request.
        init(_ error: ErrorResponse, eventID: String? = nil) {
            self.init(response: WebhookResponse(error), code: error.code, eventID: eventID)
        }
    }

    /// What ``check(body:head:endpoint:peer:)`` decided.
    enum Checked {
        /// Verified and an event: append it.
        case store(NewDelivery)
        /// Rejected: answer at once.
        case answer(Outcome)
    }

    /// Records the metrics and the log line of a finished request (of a rejected one, within
    /// ``rejectedLog``'s budget); returns its answer.
    /// - Parameter target: The request target, logged (as ``LogKey/path``) when no endpoint has it.
    func finish(
        _ outcome: Outcome,
        endpoint: String?,
        startedAt: NIODeadline,
        peer: Peer,
        target: String? = nil
    ) -> WebhookResponse {
        let duration = Duration.nanoseconds((NIODeadline.now() - startedAt).nanoseconds)
        let endpointName = endpoint ?? GatewayMetrics.noEndpoint
        self.metrics.requestFinished(endpoint: endpointName, outcome: outcome.code, duration: duration)
        var suppressed = 0
        if outcome.response.status != .ok {
            guard case .log(let before) = self.rejectedLog.admit() else { return outcome.response }
            suppressed = before
        }
        self.logger.info(
            "webhook request",
            metadata: {
                var metadata: Logger.Metadata = [
                    LogKey.endpoint: "\(endpointName)",
                    LogKey.outcome: "\(outcome.code)",
                    LogKey.statusCode: "\(outcome.response.status.code)",
                    LogKey.latencyMilliseconds: "\(Double(Int(duration / .microseconds(1))) / 1000)",
                    LogKey.peer: "\(peer.description)",
                ]
                if endpoint == nil, let target { metadata[LogKey.path] = "\(Self.loggablePath(target))" }
                if let eventID = outcome.eventID { metadata[LogKey.eventID] = "\(eventID)" }
                if let keyLabel = outcome.keyLabel { metadata[LogKey.keyLabel] = "\(keyLabel)" }
                if suppressed > 0 { metadata[LogKey.suppressed] = "\(suppressed)" }
                return metadata
            }()
        )
        return outcome.response
    }

    /// A request target as it may be logged: the path without the query (which may carry tokens), printable
    /// ASCII only, at most 200 characters.
    static func loggablePath(_ target: String) -> String {
        let path = target.utf8.prefix { $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        let printable = path.prefix(200).map { (0x21...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }
        return String(decoding: printable, as: UTF8.self) + (path.count > 200 ? "…" : "")
    }

    /// Everything before the store: source address, signature (with the wall clock), envelope and mode.
    /// Synchronous and allocation-light, so the event loop runs it without a hop.
    func check(body: ByteBuffer, head: HTTPRequestHead, endpoint: GatewayEndpoint, peer: Peer) -> Checked {
        guard endpoint.allows(peer: peer.addressBytes) else { return .answer(Outcome(.sourceNotAllowed)) }
        var signatureHeaders = SignatureHeaders()
        for name in endpoint.scheme.headerNames {
            if let value = head.headers.first(name: name) { signatureHeaders.add(name: name, value: value) }
        }
        let receivedAt = Date()
        let now = Int64(receivedAt.timeIntervalSince1970.rounded(.down))

        // Verify before anything touches the store, then read the envelope; both straight from the buffer.
        let checked: Result<(VerifiedSignature, EventEnvelope?), VerificationError> = body.withUnsafeReadableBytes {
            bytes in
            Result { () throws(VerificationError) in
                let verified = try endpoint.scheme.verify(
                    body: bytes,
                    headers: signatureHeaders,
                    keyring: endpoint.keyring,
                    tolerance: endpoint.tolerance,
                    now: now
                )
                return (verified, EventEnvelope.read(bytes))
            }
        }
        let verified: VerifiedSignature
        let envelope: EventEnvelope
        switch checked {
        case .failure(let error):
            self.metrics.verificationFailed(endpoint: endpoint.name, reason: error.code.rawValue)
            return .answer(Outcome(ErrorResponse(verification: error)))
        case .success((_, nil)):
            return .answer(Outcome(.notAnEvent))
        case .success((let signature, let event?)):
            verified = signature
            envelope = event
        }
        let modeAccepted = envelope.livemode.map { endpoint.expectedMode.accepts(livemode: $0) }
        if !(modeAccepted ?? (endpoint.expectedMode == .any)) {
            return .answer(Outcome(.wrongMode(expected: endpoint.expectedMode.rawValue), eventID: envelope.id))
        }

        let delivery = NewDelivery(
            endpoint: endpoint.name,
            eventID: envelope.id,
            eventType: envelope.type,
            eventCreated: Date(timeIntervalSince1970: TimeInterval(envelope.created)),
            receivedAt: receivedAt,
            body: Data(body.readableBytesView),
            headers: DeliveryHeaders(
                signature: signatureHeaders.fields.first?.value,
                contentType: head.headers.first(name: "content-type"),
                userAgent: head.headers.first(name: "user-agent"),
                requestID: head.headers.first(name: "request-id") ?? head.headers.first(name: "x-request-id")
            ),
            peerAddress: peer.description,
            keyLabel: verified.keyLabel
        )
        return .store(delivery)
    }

    /// Appends a verified delivery; the only step that suspends.
    func store(_ delivery: NewDelivery) async -> Outcome {
        self.metrics.activeRequestsChanged(by: 1)
        defer { self.metrics.activeRequestsChanged(by: -1) }
        let appendStart = ContinuousClock.now
        let result: AppendResult
        do {
            result = try await self.store.append(delivery)
        } catch {
            let answer: ErrorResponse = error.code == .storeOverloaded ? .storeOverloaded : .storeUnavailable
            self.logger.warning(
                "store append failed",
                metadata: [LogKey.endpoint: "\(delivery.endpoint)", LogKey.errorType: "\(error.code)"]
            )
            return Outcome(
                response: WebhookResponse(answer),
                code: answer.code,
                eventID: delivery.eventID,
                keyLabel: delivery.keyLabel
            )
        }
        self.metrics.storeAppended(duration: ContinuousClock.now - appendStart)
        if result.isDuplicate { self.metrics.duplicate(endpoint: delivery.endpoint) }
        let body = #"{"id":"\#(JSONString.escaped(delivery.eventID))","duplicate":\#(result.isDuplicate)}"#
        return Outcome(
            response: WebhookResponse(status: .ok, body: body),
            code: result.isDuplicate ? "duplicate" : "ok",
            eventID: delivery.eventID,
            keyLabel: delivery.keyLabel
        )
    }
}
