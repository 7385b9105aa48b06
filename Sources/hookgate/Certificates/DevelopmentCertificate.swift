import COpenSSL
import HookgateCore

/// A self-signed ECDSA P-256 server certificate for local development, made through OpenSSL.
///
/// Valid for the given host names and addresses (subject alternative names), for `validDays` days,
/// `serverAuth` only. Never for production: `serve` refuses to generate one in production mode.
struct DevelopmentCertificate {
    /// The hosts the default certificate is valid for.
    static let defaultHosts = ["localhost", "127.0.0.1", "::1"]

    /// The certificate in PEM.
    let certificatePEM: [UInt8]
    /// The private key in PEM (PKCS #8). Written with mode 0600.
    let privateKeyPEM: [UInt8]

    /// Generates a new key and certificate.
    /// - Throws: ``UsageError`` when a host is empty or OpenSSL fails.
    static func generate(hosts: [String] = defaultHosts, validDays: Int = 365) throws(UsageError) -> Self {
        guard let commonName = hosts.first, hosts.allSatisfy({ !$0.isEmpty && !$0.contains(",") }) else {
            throw UsageError("development certificate: give at least one host, without commas")
        }
        let alternativeNames = hosts.map { host in
            IPAddressText.parse(Substring(host)) == nil ? "DNS:\(host)" : "IP:\(host)"
        }.joined(separator: ",")
        var certificate: UnsafeMutablePointer<UInt8>?
        var certificateLength = 0
        var key: UnsafeMutablePointer<UInt8>?
        var keyLength = 0
        let made = COpenSSL_make_development_certificate(
            commonName,
            alternativeNames,
            validDays,
            &certificate,
            &certificateLength,
            &key,
            &keyLength
        )
        defer {
            COpenSSL_free_pem(certificate, certificateLength)
            COpenSSL_free_pem(key, keyLength)
        }
        guard made == 1, let certificate, let key else {
            throw UsageError("OpenSSL could not create a development certificate")
        }
        return Self(
            certificatePEM: Array(UnsafeBufferPointer(start: certificate, count: certificateLength)),
            privateKeyPEM: Array(UnsafeBufferPointer(start: key, count: keyLength))
        )
    }

    /// Writes the certificate (mode 0644) and the key (mode 0600), each atomically, creating directories.
    func write(to files: TLSFiles) throws(UsageError) {
        try FileOutput.write(self.privateKeyPEM, to: files.privateKeyPath, mode: 0o600)
        try FileOutput.write(self.certificatePEM, to: files.certificateChainPath, mode: 0o644)
    }
}
