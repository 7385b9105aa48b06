/// Secrets that differ from a configured one by a usual copy-and-paste mistake.
struct SecretVariant {
    let cause: DiagnosisCause
    let secret: LabelledSecret

    /// The variants of `secret`; none equals it.
    static func variants(of secret: LabelledSecret) -> [SecretVariant] {
        let value = secret.secret.value
        let trimmed = Self.trimmingWhitespace(value)
        var variants: [SecretVariant] = []
        if trimmed != value {
            variants.append(SecretVariant(cause: .secretWhitespace, secret: secret.replacing(trimmed)))
        }
        for quote in ["\"", "'"] where trimmed.count >= 2 && trimmed.hasPrefix(quote) && trimmed.hasSuffix(quote) {
            let unquoted = Self.trimmingWhitespace(String(trimmed.dropFirst().dropLast()))
            variants.append(SecretVariant(cause: .secretQuotes, secret: secret.replacing(unquoted)))
        }
        return variants
    }

    static func trimmingWhitespace(_ text: String) -> String {
        var slice = Substring(text)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}

extension LabelledSecret {
    fileprivate func replacing(_ value: String) -> LabelledSecret {
        LabelledSecret(label: self.label, secret: Secret(value), expiresAt: self.expiresAt)
    }
}
