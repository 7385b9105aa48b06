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

    /// Why `body` does not carry a valid signature of one of the keys in `headers` now; nil when it does.
    /// The reason names the likely fix on the gateway's side.
    func refusal(body: [UInt8], headers: SignatureHeaders) -> String? {
        do {
            _ = try StandardWebhooksSignatureScheme().verify(
                body: body,
                headers: headers,
                keyring: self.keyring,
                tolerance: .standard,
                now: Int64(time(nil))
            )
            return nil
        } catch {
            switch error.code {
            case .signatureMissing:
                return "\(error.reason): is upstream.signing_secret set on the gateway?"
            case .signatureMismatch:
                return "\(error.reason): is the sink's secret the gateway's upstream.signing_secret?"
            default:
                return error.reason
            }
        }
    }
}
