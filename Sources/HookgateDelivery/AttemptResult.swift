import Foundation
import HookgateStore

/// How one attempt ended, before the retry policy turns it into an ``AttemptOutcome``.
enum AttemptResult: Sendable, Equatable {
    /// 2xx for every message.
    case delivered(status: Int)
    /// A status that asks to be tried again (429, 503), not before the `Retry-After` time if it gave one.
    case throttled(status: Int, retryAt: Date?)
    /// A 4xx other than 429: the payment system refuses the event; retrying cannot help.
    case refused(status: Int)
    /// A 5xx (other than 503): try again with backoff.
    case failed(status: Int)
    /// No answer: timeout, broken connection. Try again with backoff.
    case unreachable(reason: String)
    /// The payment system is not there: its socket is missing or refuses connections, so nothing was sent. Try
    /// again as soon as it is back (the worker pauses its claims and watches the socket meanwhile).
    case away(reason: String)

    /// Classifies an HTTP status.
    static func status(_ status: Int, retryAfter: String?, now: Date) -> AttemptResult {
        switch status {
        case 200..<300: .delivered(status: status)
        case 429, 503: .throttled(status: status, retryAt: retryAfter.flatMap { RetryAfter.retryAt($0, now: now) })
        case 400..<500: .refused(status: status)
        default: .failed(status: status)
        }
    }

    /// The upstream's status, if it answered.
    var upstreamStatus: Int? {
        switch self {
        case .delivered(let status), .throttled(let status, _), .refused(let status), .failed(let status): status
        case .unreachable, .away: nil
        }
    }

    /// What went wrong, for the attempt's record (never a body or a secret).
    var error: String? {
        switch self {
        case .delivered: nil
        case .refused(401):
            "upstream status 401: the payment system refused the gateway's authentication"
                + " (is upstream.signing_secret the secret it verifies with?)"
        case .refused(403): "upstream status 403: the payment system refused the gateway's authorization"
        case .throttled(let status, _), .refused(let status), .failed(let status): "upstream status \(status)"
        case .unreachable(let reason), .away(let reason): reason
        }
    }
}
