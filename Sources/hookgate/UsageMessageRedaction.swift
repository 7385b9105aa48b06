/// Removes secrets from usage-error messages. ArgumentParser quotes arguments it cannot place
/// ("Unexpected argument 'whsec_...'"), so a secret typed in the wrong position would otherwise be printed.
enum UsageMessageRedaction {
    /// `message` with every argument that is or looks like a secret replaced by `<redacted>`.
    static func redact(_ message: String, arguments: [String]) -> String {
        var secrets: [String] = []
        for (index, argument) in arguments.enumerated() {
            if argument.hasPrefix("--secret=") {
                secrets.append(String(argument.dropFirst("--secret=".count)))
            } else if argument == "--secret", index + 1 < arguments.count {
                secrets.append(arguments[index + 1])
            } else if ["whsec_", "sk_", "rk_"].contains(where: argument.contains) {
                secrets.append(argument)
            }
        }
        var redacted = message
        for secret in secrets.sorted(by: { $0.count > $1.count }) where secret.count >= 4 {
            redacted = redacted.replacing(secret, with: "<redacted>")
        }
        return redacted
    }
}
