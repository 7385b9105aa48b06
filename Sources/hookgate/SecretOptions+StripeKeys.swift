import HookgateCore

extension SecretOptions {
    /// The Stripe signing keys of the secrets given.
    /// - Throws: ``UsageError`` when none is given, one cannot be read or is not a Stripe secret.
    func stripeKeys() throws(UsageError) -> [HMACKey] {
        let scheme = StripeSignatureScheme()
        do {
            return try self.load().map { tagged throws(SecretFormatError) in
                try scheme.makeKey(tagged.secret.secret, label: tagged.secret.label)
            }
        } catch let error as UsageError {
            throw error
        } catch {
            throw UsageError("\(error)")
        }
    }
}
