public import Foundation

/// How long after a command was received it may still be sent to Stripe's API under its `Idempotency-Key`.
///
/// Stripe keeps a key for at least 24 hours after the first request that used it, and that request came after
/// the command was received: whatever happened to earlier requests (a timeout, a crash before the answer was
/// recorded), a request sent within 24 hours of receipt is covered by the key, and Stripe runs the command at
/// most once. A later one could run it again, charging twice, so none is sent: the worker makes such a command
/// dead instead, and `hookgate commands retry` refuses it.
public enum IdempotencyWindow {
    /// No retry is scheduled later than this after receipt.
    static let retries: Duration = .seconds(23 * 3600)
    /// No request is sent later than this after receipt. The half hour after ``retries`` covers a retry claimed
    /// late (its slot busy, the store slow); the half hour before Stripe's 24 hours, the request's own time.
    public static let sending: Duration = .seconds(23 * 3600 + 1800)

    /// Why a command received at `receivedAt` may no longer be sent at `now`, or nil when it may.
    public static func refusal(receivedAt: Date, now: Date) -> String? {
        guard now.timeIntervalSince(receivedAt) > sending.timeInterval else { return nil }
        return "received more than 23.5 hours ago, and Stripe keeps an Idempotency-Key for 24 hours: sent now it "
            + "could run twice. Look in Stripe for metadata[hookgate_command_id] = its CloudEvent id, and have the "
            + "payment system send a new command if nothing ran"
    }
}
