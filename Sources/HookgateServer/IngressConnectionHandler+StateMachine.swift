import HookgateCore
import NIOCore
import NIOHTTP1

extension IngressConnectionHandler {
    /// The limits and timeouts of one connection as a value: ``IngressConnectionHandler`` feeds it the
    /// request parts, errors and timer firings with the time (`now`, the event loop's clock, so tests set it)
    /// and executes the ``Action`` it returns.
    ///
    /// It owns the keep-alive idle timeout, the header read timeout (from the first byte after the previous
    /// answer), the body read timeout, the body byte limit, the choice between reading and dropping the body
    /// of a rejected request and rejecting it at once with the connection closed, and `100 Continue`.
    /// Pipelining and quiescing are NIO's `HTTPServerPipelineHandler`'s: this machine sees one request at a
    /// time.
    struct StateMachine {
        /// What the handler does next.
        enum Action {
            /// Nothing.
            case none
            /// Write the interim `100 Continue`.
            case sendContinue
            /// The body is complete: verify it, then store it or answer the rejection. An answer follows.
            case verify(head: HTTPRequestHead, endpoint: GatewayEndpoint, body: ByteBuffer, startedAt: NIODeadline)
            /// Answer the request with `rejection` (on the event loop); close afterwards if
            /// ``answerStarted(now:)`` says so.
            case reject(ErrorResponse, head: HTTPRequestHead, endpoint: GatewayEndpoint?, startedAt: NIODeadline)
            /// Answer `error` without a request to log it with, then close. `requestSeen` is false when no head
            /// arrived (a header read timeout): the HTTP layer has no request to pair the answer with.
            case answerAndClose(ErrorResponse, requestSeen: Bool)
            /// Close without an answer.
            case close
        }

        private enum State {
            /// Waiting for a request head; `receiving` once bytes of it arrived.
            case idle(receiving: Bool)
            /// Reading the body of an acceptable request, at most `limit` bytes.
            case readingBody(
                head: HTTPRequestHead,
                endpoint: GatewayEndpoint,
                body: ByteBuffer,
                limit: Int,
                start: NIODeadline
            )
            /// Reading and dropping the body of a request that will be rejected.
            case discarding(
                head: HTTPRequestHead,
                rejection: ErrorResponse,
                endpoint: GatewayEndpoint?,
                dropped: Int,
                start: NIODeadline
            )
            /// Waiting for the answer to the current request (from the store, or being written).
            case responding(keepAlive: Bool)
            /// The last answer is written or being written; the connection closes.
            case closing
        }

        private let settings: GatewaySettings
        private var state = State.idle(receiving: false)
        /// Close after the current answer (a rejection whose body is left unread, an unreadable request).
        private var closeAfterAnswer = false
        /// Where the framing count of the current body starts: the connection's wire bytes and the body bytes at
        /// the end of the first read after its head; `nil` until then.
        private var framingMark: (wire: Int, body: Int)?
        /// When the current wait ends; `nil` while an answer is pending or the connection closes.
        private(set) var deadline: NIODeadline?

        private var limits: GatewayLimits { self.settings.limits }

        /// A connection served with the endpoints and limits of `settings`.
        init(settings: GatewaySettings) {
            self.settings = settings
        }

        /// The connection is open: the idle timeout runs.
        mutating func connectionActive(now: NIODeadline) {
            self.deadline = now + self.limits.idleTimeout.timeAmount
        }

        /// The bytes around a body that are not the body (chunk sizes, chunk extensions, line ends) may be at most
        /// this many more than the body itself. NIO's decoder reads chunk extensions without a limit, so a client
        /// could otherwise keep a connection busy with bytes that are never a body (as Node.js's 16 KiB bound on
        /// chunk extensions, CVE-2024-22019); a body sent in sensible chunks stays far below it.
        static let framingAllowance = 16 * 1024

        /// A read was decoded, its `wireBytes` the connection's count so far: the header read timeout starts
        /// with the first bytes of a head, and a body's framing is kept within ``framingAllowance`` (counted
        /// from the first read after the head): beyond it, the request is answered `400 malformed_request`
        /// and the connection closed.
        mutating func readCompleted(wireBytes: Int, now: NIODeadline) -> Action {
            self.bytesReceived(now: now)
            let head: HTTPRequestHead
            let endpoint: GatewayEndpoint?
            let bodyBytes: Int
            let start: NIODeadline
            switch self.state {
            case .readingBody(let readingHead, let readingEndpoint, let body, _, let readingStart):
                (head, endpoint, bodyBytes, start) = (readingHead, readingEndpoint, body.readableBytes, readingStart)
            case .discarding(let discardedHead, _, let discardedEndpoint, let dropped, let discardedStart):
                (head, endpoint, bodyBytes, start) = (discardedHead, discardedEndpoint, dropped, discardedStart)
            case .idle, .responding, .closing:
                return .none
            }
            guard let mark = self.framingMark else {
                self.framingMark = (wireBytes, bodyBytes)
                return .none
            }
            let body = bodyBytes - mark.body
            guard wireBytes - mark.wire - body > Self.framingAllowance + body else { return .none }
            return self.reject(.malformedRequest, head: head, endpoint: endpoint, start: start, close: true)
        }

        /// Bytes arrived: if no request head is complete yet, the header read timeout runs from now.
        mutating func bytesReceived(now: NIODeadline) {
            guard case .idle(receiving: false) = self.state else { return }
            self.state = .idle(receiving: true)
            self.deadline = now + self.limits.headerReadTimeout.timeAmount
        }

        /// A request head arrived: checks it, then reads the body, drops it, or rejects at once.
        mutating func requestHead(_ head: HTTPRequestHead, now: NIODeadline) -> Action {
            guard case .idle = self.state else { return .none }
            self.deadline = now + self.limits.bodyReadTimeout.timeAmount
            self.framingMark = nil
            switch RequestHeadCheck.check(head, settings: self.settings) {
            case .success(let accepted):
                self.state = .readingBody(
                    head: head,
                    endpoint: accepted.endpoint,
                    body: ByteBuffer(),
                    limit: accepted.bodyLimit,
                    start: now
                )
                return RequestHeadCheck.expectsContinue(head) ? .sendContinue : .none
            case .failure(let rejection):
                let endpoint = self.settings.endpoint(forTarget: head.uri)
                if rejection.code == ErrorResponse.payloadTooLarge.code || RequestHeadCheck.expectsContinue(head) {
                    // A declared length over the limit, or a client waiting for 100 Continue before it sends
                    // the body: answer now, do not read the body.
                    return self.reject(rejection, head: head, endpoint: endpoint, start: now, close: true)
                }
                self.state = .discarding(head: head, rejection: rejection, endpoint: endpoint, dropped: 0, start: now)
                return .none
            }
        }

        /// A part of the body arrived: keeps it within the limit, or counts it while dropping.
        mutating func requestBody(_ chunk: ByteBuffer) -> Action {
            switch self.state {
            case .readingBody(let head, let endpoint, var body, let limit, let start):
                guard body.readableBytes + chunk.readableBytes <= limit else {
                    return self.reject(.payloadTooLarge, head: head, endpoint: endpoint, start: start, close: true)
                }
                self.state = .closing  // Avoids a copy-on-write of `body` while it is appended to.
                if body.readableBytes == 0 {
                    body = chunk
                } else {
                    var chunk = chunk
                    body.writeBuffer(&chunk)
                }
                self.state = .readingBody(head: head, endpoint: endpoint, body: body, limit: limit, start: start)
                return .none
            case .discarding(let head, let rejection, let endpoint, let dropped, let start):
                let total = dropped + chunk.readableBytes
                guard total <= self.limits.maximumBodyBytes else {
                    return self.reject(rejection, head: head, endpoint: endpoint, start: start, close: true)
                }
                self.state = .discarding(
                    head: head,
                    rejection: rejection,
                    endpoint: endpoint,
                    dropped: total,
                    start: start
                )
                return .none
            case .idle, .responding, .closing:
                return .none
            }
        }

        /// The request is complete: verify it, or answer the rejection decided from its head.
        mutating func requestEnd() -> Action {
            switch self.state {
            case .readingBody(let head, let endpoint, let body, _, let start):
                self.state = .responding(keepAlive: head.isKeepAlive)
                self.deadline = nil
                return .verify(head: head, endpoint: endpoint, body: body, startedAt: start)
            case .discarding(let head, let rejection, let endpoint, _, let start):
                return self.reject(rejection, head: head, endpoint: endpoint, start: start, close: false)
            case .idle, .responding, .closing:
                return .none
            }
        }

        /// The body cannot be decoded, or is too large once decoded: rejected with `rejection` if it was being
        /// read (a dropped body is rejected anyway).
        mutating func bodyUndecodable(_ rejection: ErrorResponse) -> Action {
            guard case .readingBody(let head, let endpoint, _, _, let start) = self.state else { return .none }
            return self.reject(rejection, head: head, endpoint: endpoint, start: start, close: true)
        }

        /// The HTTP decoder cannot read the request: answered with `rejection` if no answer is under way (a
        /// head, or a body's framing, that cannot be read), then the connection closes (after the pending
        /// answer, if one is).
        mutating func requestUnreadable(_ rejection: ErrorResponse) -> Action {
            switch self.state {
            case .idle:
                self.close()
                return .answerAndClose(rejection, requestSeen: true)
            case .responding:
                self.closeAfterAnswer = true
                return .none
            case .readingBody(let head, let endpoint, _, _, let start):
                return self.reject(rejection, head: head, endpoint: endpoint, start: start, close: true)
            case .discarding(let head, _, let endpoint, _, let start):
                return self.reject(rejection, head: head, endpoint: endpoint, start: start, close: true)
            case .closing:
                return .none
            }
        }

        /// An answer to the current request is about to be written. Returns whether the connection stays open
        /// after it (then the idle timeout runs from `now`), or `nil` if no answer is expected.
        mutating func answerStarted(now: NIODeadline) -> Bool? {
            guard case .responding(let keepAlive) = self.state else { return nil }
            if keepAlive && !self.closeAfterAnswer {
                self.state = .idle(receiving: false)
                self.deadline = now + self.limits.idleTimeout.timeAmount
                return true
            }
            self.close()
            return false
        }

        /// The timer fired: if the current wait is over, closes an idle connection and answers 408 where a
        /// request was begun. A deadline that moved later leaves the timer to be set again.
        mutating func timerFired(now: NIODeadline) -> Action {
            guard let deadline = self.deadline, now >= deadline else { return .none }
            switch self.state {
            case .idle(receiving: false):
                self.close()
                return .close
            case .idle(receiving: true):
                self.close()
                return .answerAndClose(.requestTimeout, requestSeen: false)
            case .readingBody, .discarding:
                self.close()
                return .answerAndClose(.requestTimeout, requestSeen: true)
            case .responding, .closing:
                return .none
            }
        }

        /// The connection closed.
        mutating func connectionClosed() {
            self.close()
        }

        private mutating func reject(
            _ rejection: ErrorResponse,
            head: HTTPRequestHead,
            endpoint: GatewayEndpoint?,
            start: NIODeadline,
            close: Bool
        ) -> Action {
            if close { self.closeAfterAnswer = true }
            self.state = .responding(keepAlive: head.isKeepAlive)
            self.deadline = nil
            return .reject(rejection, head: head, endpoint: endpoint, startedAt: start)
        }

        private mutating func close() {
            self.state = .closing
            self.deadline = nil
        }
    }
}
