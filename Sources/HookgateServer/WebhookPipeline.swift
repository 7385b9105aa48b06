import Foundation
import HookgateCore
import HookgateStore
import Logging
import NIOCore
import NIOHTTP1

/// What the ingress does with one request after the HTTP checks: source address, signature, event envelope,
/// mode, then the store. Everything before the store is synchronous and cheap, so it runs where the request
/// arrives; only the append suspends.
struct WebhookPipeline: Sendable {
    let store: any DeliveryStore
    let metrics: GatewayMetrics
    let logger: Logger

    /// The client of one connection, resolved once when it is accepted.
    struct Peer: Sendable {
        /// `address:port` as logged and stored.
        var description: String
        /// The 4 or 16 address bytes, for the endpoints' allowed sources.
        var addressBytes: [UInt8]

        init(_ address: SocketAddress?) {
            self.description = address?.description ?? "unknown"
            switch address {
            case .v4(let v4)?:
                self.addressBytes = IPAddressText.parse(v4.host[...]) ?? []
                self.description = "\(v4.host):\(address?.port ?? 0)"
            case .v6(let v6)?:
                self.addressBytes = IPAddressText.parse(v6.host[...]) ?? []
                self.description = "[\(v6.host)]:\(address?.port ?? 0)"
            default:
                self.addressBytes = []
            }
        }
    }

    /// The result of one request, for the answer, the log line and the metrics.
    private struct Outcome {
        var response: WebhookResponse
        var code: String
        var eventID: String?
        var keyLabel: String?
    }

    /// Processes one request and returns its answer; logs one line and updates the metrics.
    func respond(to request: WebhookRequest, peer: Peer) async -> WebhookResponse {
        self.metrics.activeRequestsChanged(by: 1)
        defer { self.metrics.activeRequestsChanged(by: -1) }
        let endpoint: GatewayEndpoint?
        let outcome: Outcome
        switch request.content {
        case .rejected(let error, let matched):
            endpoint = matched
            outcome = Outcome(response: WebhookResponse(error), code: error.code)
        case .body(let body, let matched):
            endpoint = matched
            outcome = await self.process(body: body, head: request.head, endpoint: matched, peer: peer)
        }
        let duration = Duration.nanoseconds((NIODeadline.now() - request.startedAt).nanoseconds)
        let endpointName = endpoint?.name ?? GatewayMetrics.noEndpoint
        self.metrics.requestFinished(endpoint: endpointName, outcome: outcome.code, duration: duration)
        var metadata: Logger.Metadata = [
            LogKey.endpoint: "\(endpointName)",
            LogKey.outcome: "\(outcome.code)",
            LogKey.statusCode: "\(outcome.response.status.code)",
            LogKey.latencyMilliseconds: "\(Double(Int(duration / .microseconds(1))) / 1000)",
            LogKey.peer: "\(peer.description)",
        ]
        if let eventID = outcome.eventID { metadata[LogKey.eventID] = "\(eventID)" }
        if let keyLabel = outcome.keyLabel { metadata[LogKey.keyLabel] = "\(keyLabel)" }
        self.logger.info("webhook request", metadata: metadata)
        return outcome.response
    }

    private func process(
        body: ByteBuffer,
        head: HTTPRequestHead,
        endpoint: GatewayEndpoint,
        peer: Peer
    ) async
        -> Outcome
    {
        guard endpoint.allows(peer: peer.addressBytes) else {
            return Outcome(response: WebhookResponse(.sourceNotAllowed), code: ErrorResponse.sourceNotAllowed.code)
        }
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
            let answer = ErrorResponse(verification: error)
            return Outcome(response: WebhookResponse(answer), code: answer.code)
        case .success((_, nil)):
            return Outcome(response: WebhookResponse(.notAnEvent), code: ErrorResponse.notAnEvent.code)
        case .success((let signature, let event?)):
            verified = signature
            envelope = event
        }
        if let livemode = envelope.livemode, !endpoint.expectedMode.accepts(livemode: livemode) {
            let answer = ErrorResponse.wrongMode(expected: endpoint.expectedMode.rawValue)
            return Outcome(response: WebhookResponse(answer), code: answer.code, eventID: envelope.id)
        }
        if envelope.livemode == nil, endpoint.expectedMode != .any {
            let answer = ErrorResponse.wrongMode(expected: endpoint.expectedMode.rawValue)
            return Outcome(response: WebhookResponse(answer), code: answer.code, eventID: envelope.id)
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
        let appendStart = ContinuousClock.now
        let result: AppendResult
        do {
            result = try await self.store.append(delivery)
        } catch {
            let answer: ErrorResponse = error.code == .storeOverloaded ? .storeOverloaded : .storeUnavailable
            self.logger.warning(
                "store append failed",
                metadata: [LogKey.endpoint: "\(endpoint.name)", LogKey.errorType: "\(error.code)"]
            )
            return Outcome(
                response: WebhookResponse(answer),
                code: answer.code,
                eventID: envelope.id,
                keyLabel: verified.keyLabel
            )
        }
        self.metrics.storeAppended(duration: ContinuousClock.now - appendStart)
        if result.isDuplicate { self.metrics.duplicate(endpoint: endpoint.name) }
        let body = #"{"id":"\#(JSONText.escape(envelope.id))","duplicate":\#(result.isDuplicate)}"#
        return Outcome(
            response: WebhookResponse(status: .ok, body: body),
            code: result.isDuplicate ? "duplicate" : "ok",
            eventID: envelope.id,
            keyLabel: verified.keyLabel
        )
    }
}
