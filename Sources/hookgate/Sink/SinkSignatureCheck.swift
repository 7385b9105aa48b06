import Glibc
import HookgateCore

/// Checks the gateway's Standard Webhooks signature (`webhook-id`, `webhook-timestamp`, `webhook-signature`)
/// on what the sink receives.
struct SinkSignatureCheck: Sendable {
    private let keyring: Keyring

    /// - Throws: ``UsageError`` when a secret is not a valid Standard Webhooks secret (base64 after `whsec_`).
    init(secrets: [LabelledSecret]) throws(UsageError) {
        do {
            self.keyring = try Keyring(scheme: StandardWebhooksSignatureScheme(), secrets: secrets)
        } catch {
            throw UsageError("\(error)")
        }
    }

    /// Whether `body` carries a valid signature of one of the keys in `headers`, now.
    func verifies(body: [UInt8], headers: SignatureHeaders) -> Bool {
        do {
            _ = try StandardWebhooksSignatureScheme().verify(
                body: body,
                headers: headers,
                keyring: self.keyring,
                tolerance: .standard,
                now: Int64(time(nil))
            )
            return true
        } catch {
            return false
        }
    }
}
