import COpenSSL
import HookgateCore

/// An ECDSA P-256 server certificate for local development, signed by the ``DevelopmentCertificateAuthority``.
///
/// Valid for the given host names and addresses (subject alternative names), for `validDays` days (at most
/// 825, and never past the CA), `serverAuth` only, CA:FALSE. Never for production: `serve` refuses to generate
/// one in production mode.
struct DevelopmentCertificate {
    /// The hosts the default certificate is valid for.
    static let defaultHosts = ["localhost", "127.0.0.1", "::1"]
    /// The longest validity clients accept for a server certificate (Apple's limit, which mkcert keeps to).
    static let maximumValidDays = 825

    /// The chain (this certificate, then the CA's) and the private key, in PEM.
    let credentials: PEMCredentials

    /// Generates a new key and a certificate signed by `authority`.
    /// - Throws: ``UsageError`` when a host is empty or contains a comma, or OpenSSL fails.
    static func issue(
        by authority: DevelopmentCertificateAuthority,
        hosts: [String] = defaultHosts,
        validDays: Int = 365
    ) throws(UsageError) -> Self {
        guard let commonName = hosts.first, hosts.allSatisfy({ !$0.isEmpty && !$0.contains(",") }) else {
            throw UsageError("development certificate: give at least one host, without commas")
        }
        let alternativeNames = hosts.map { host in
            IPAddressText.parse(Substring(host)) == nil ? "DNS:\(host)" : "IP:\(host)"
        }.joined(separator: ",")
        let ca = authority.credentials
        let credentials = try PEMCredentials.make("a development certificate") { output in
            COpenSSL_make_development_certificate(
                ca.certificatePEM,
                ca.certificatePEM.count,
                ca.privateKeyPEM,
                ca.privateKeyPEM.count,
                commonName,
                alternativeNames,
                validDays,
                output
            )
        }
        return Self(credentials: credentials)
    }

    /// Writes the chain (mode 0644) and the key (mode 0600), each atomically, creating directories.
    func write(to files: TLSFiles) throws(UsageError) {
        try FileOutput.write(self.credentials.privateKeyPEM, to: files.privateKeyPath, mode: 0o600)
        try FileOutput.write(self.credentials.certificatePEM, to: files.certificateChainPath, mode: 0o644)
    }
}
