import HookgateCore
import HookgateStore

/// A signature checked as `hookgate verify` checks it, with the diagnosis of a failure: shared by the command
/// (a payload, or `--delivery`) and the admin API's `POST /deliveries/{id}/verify`.
enum SignatureCheck {
    /// Verifies `body` with the secrets of its mode (the event's `livemode` unless `mode` says), and explains
    /// a failure, also with the other mode's secrets.
    /// - Throws: ``UsageError`` when a secret cannot be used by `scheme` (naming its label, never the secret).
    static func report(
        body: [UInt8],
        headers: SignatureHeaders,
        scheme: any SignatureScheme,
        secrets: [SecretOptions.TaggedSecret],
        mode: SignatureDiagnosis.Mode?,
        tolerance: TimestampTolerance,
        now: Int64
    ) throws(UsageError) -> VerifyReport {
        let mode = mode ?? EventEnvelope.read(body)?.livemode.map { $0 ? .live : .test }
        let used = secrets.filter { mode == nil || $0.mode == nil || $0.mode == mode }.map(\.secret)
        let otherMode = secrets.filter { mode != nil && $0.mode != nil && $0.mode != mode }.map(\.secret)
        let keyring: Keyring
        do {
            keyring = try Keyring(scheme: scheme, secrets: used)
        } catch {
            throw UsageError(error.description)
        }
        do {
            let verified = try scheme.verify(
                body: body,
                headers: headers,
                keyring: keyring,
                tolerance: tolerance,
                now: now
            )
            return .valid(verified, now: now)
        } catch {
            let diagnosis = SignatureDiagnosis(
                body: body,
                headers: headers,
                scheme: scheme,
                secrets: used,
                otherModeSecrets: otherMode,
                mode: mode,
                tolerance: tolerance,
                now: now,
                // Whatever verify checks was stored somewhere first: a file, a pipe, the delivery store.
                isStoredCopy: true
            )
            return .invalid(error, findings: diagnosis.explain(error))
        }
    }

    /// Re-verifies a stored delivery byte for byte: its body and stored `Stripe-Signature` header, with
    /// `secrets`; the timestamp is not held against the clock (the gateway checked it at receipt).
    /// - Throws: ``UsageError`` when the delivery has no stored signature header or a secret cannot be used.
    static func report(
        stored record: DeliveryRecord,
        secrets: [SecretOptions.TaggedSecret],
        mode: SignatureDiagnosis.Mode?,
        now: Int64
    ) throws(UsageError) -> VerifyReport {
        guard let signature = record.received.headers.signature else {
            throw UsageError("delivery \(record.id) has no stored signature header")
        }
        var headers = SignatureHeaders()
        headers.add(name: StripeSignatureScheme().headerNames[0], value: signature)
        return try self.report(
            body: [UInt8](record.received.body),
            headers: headers,
            scheme: StripeSignatureScheme(),
            secrets: secrets,
            mode: mode,
            tolerance: .disabled,
            now: now
        )
    }

    /// The keys an endpoint has now in `configuration`, for re-verifying its stored deliveries.
    static func configuredKeys(of endpoint: String, in configuration: LoadedConfiguration) -> ConfiguredKeys {
        guard let configured = configuration.settings.endpoints.first(where: { $0.name == endpoint }),
            let secrets = configuration.endpointSecrets[endpoint]
        else { return .notConfigured }
        guard configured.scheme is StripeSignatureScheme else { return .notStripe(configured.keyring.schemeName) }
        return .secrets(secrets.map { SecretOptions.TaggedSecret(secret: $0, mode: nil) })
    }

    /// An endpoint's keys for re-verifying a stored delivery, or why there are none.
    enum ConfiguredKeys {
        /// The endpoint's labelled secrets, as configured (labels, expiries).
        case secrets([SecretOptions.TaggedSecret])
        /// No endpoint of that name is configured (any more).
        case notConfigured
        /// The endpoint uses another scheme (named); only Stripe signatures are re-verified.
        case notStripe(String)
    }
}
