import Foundation
import HookgateCore

/// A configuration after a key rotation: the Stripe endpoint's "current" key (`STRIPE_WEBHOOK_SECRET`) expired and
/// "next" took over. Written over a running gateway's file, then SIGHUP puts it in force.
enum KeyRotationConfiguration {
    /// The file's text, "current" expired at `expired` (Unix seconds).
    static func text(expired: Int64) -> String {
        """
        {"mode": "development", "listen": ["127.0.0.1:0"],
         "endpoints": [{"name": "stripe", "path": "/webhooks/stripe", "scheme": "stripe", "secrets": [
            {"label": "current", "env": "STRIPE_WEBHOOK_SECRET", "expires_at": "\(UnixTime.rfc3339(expired))"},
            {"label": "next", "value": "whsec_nextKeyAfterRotation01"}]}]}
        """
    }
}
