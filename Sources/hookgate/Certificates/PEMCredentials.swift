import COpenSSL

/// A certificate (or chain) and its private key in PEM.
struct PEMCredentials {
    /// The certificate, or the chain leaf first.
    let certificatePEM: [UInt8]
    /// The private key (PKCS #8, unencrypted). Written with mode 0600.
    let privateKeyPEM: [UInt8]

    /// Runs a COpenSSL function that fills `COpenSSL_credentials` and copies the result, wiping and freeing
    /// the C buffers.
    /// - Throws: ``UsageError`` naming `what` with OpenSSL's reason when the function returned 0.
    static func make(
        _ what: String,
        _ function: (UnsafeMutablePointer<COpenSSL_credentials>) -> Int32
    ) throws(UsageError) -> Self {
        var credentials = COpenSSL_credentials()
        defer { COpenSSL_credentials_free(&credentials) }
        let made = function(&credentials)
        let reason = OpenSSLError.take()
        guard made == 1, let certificate = credentials.certificate, let key = credentials.private_key else {
            throw UsageError("OpenSSL could not create \(what)\(reason.map { ": \($0)" } ?? "")")
        }
        return Self(
            certificatePEM: Array(UnsafeBufferPointer(start: certificate, count: credentials.certificate_length)),
            privateKeyPEM: Array(UnsafeBufferPointer(start: key, count: credentials.private_key_length))
        )
    }
}
