import HookgateCore

/// A signing secret made up at start-up because the endpoint's variable was unset (development mode only).
///
/// `serve` prints it once, with a warning, so the developer can sign test requests with it (as `stripe listen`
/// prints its signing secret). A new one is generated at every start.
struct GeneratedDevelopmentSecret: Sendable {
    /// The endpoint's name.
    var endpoint: String
    /// The label of the secret in the endpoint's keyring.
    var label: String
    /// The unset environment variable the secret stands in for.
    var environmentVariable: String
    /// The generated secret.
    var secret: Secret

    /// A new random secret: `whsec_` and the base64 of 32 bytes from the system's random number generator.
    static func randomSecret() -> Secret {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Secret("whsec_" + Base64.encode(bytes))
    }
}
