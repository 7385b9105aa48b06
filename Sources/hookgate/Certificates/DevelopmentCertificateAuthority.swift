import COpenSSL
import Glibc
import HookgateCore

/// The local certificate authority that signs development server certificates (as mkcert does): clients
/// trust its certificate once (`curl --cacert certs/dev-ca.pem`) and keep trusting renewed server certificates.
///
/// ECDSA P-256, critical CA:TRUE with pathlen:0, keyCertSign and cRLSign, valid for ten years, named after
/// this machine. It lives next to the server certificate as `dev-ca.pem` and `dev-ca-key.pem` (mode 0600).
struct DevelopmentCertificateAuthority {
    /// Days a new CA is valid.
    static let validDays = 3650

    /// Where the CA certificate and key are.
    let files: TLSFiles
    /// The CA certificate and key in PEM.
    let credentials: PEMCredentials

    /// The CA files for the server certificate at `certificatePath`: `dev-ca.pem` and `dev-ca-key.pem` in its folder.
    static func files(besides certificatePath: String) -> TLSFiles {
        let folder = certificatePath.lastIndex(of: "/").map { certificatePath[...$0] } ?? ""
        return TLSFiles(certificateChainPath: "\(folder)dev-ca.pem", privateKeyPath: "\(folder)dev-ca-key.pem")
    }

    /// Makes a new CA, to be written to `files`.
    static func generate(for files: TLSFiles) throws(UsageError) -> Self {
        let credentials = try PEMCredentials.make("a development CA") { output in
            COpenSSL_make_development_ca(self.commonName, self.validDays, output)
        }
        return Self(files: files, credentials: credentials)
    }

    /// Reads the CA at `files` and checks that it can sign: a readable certificate and matching key,
    /// CA:TRUE with keyCertSign, not expired.
    /// - Throws: ``UsageError`` naming the files and how to make a new CA.
    static func read(from files: TLSFiles) throws(UsageError) -> Self {
        let limit = InputFile.maximumSecretBytes
        let certificate = try InputFile.read(files.certificateChainPath, limit: limit, what: "the CA certificate")
        let key = try InputFile.read(files.privateKeyPath, limit: limit, what: "the CA key")
        let status = COpenSSL_check_development_ca(certificate, certificate.count, key, key.count)
        let reason = OpenSSLError.take()
        let problem: String
        switch status {
        case .ok:
            return Self(
                files: files,
                credentials: PEMCredentials(certificatePEM: certificate, privateKeyPEM: key)
            )
        case .failed: problem = "OpenSSL failed\(reason.map { ": \($0)" } ?? "")"
        case .unreadable: problem = "no PEM certificate and private key"
        case .key_mismatch: problem = "the key does not belong to the certificate"
        case .not_a_ca: problem = "the certificate may not sign certificates (no CA:TRUE and keyCertSign)"
        case .expired: problem = "the certificate has expired"
        }
        throw UsageError(
            "development CA '\(files.certificateChainPath)' with key '\(files.privateKeyPath)': \(problem); "
                + "make a new one with `hookgate certs dev --new-ca`"
        )
    }

    /// Writes the key (mode 0600) and the certificate (mode 0644), each atomically, creating directories.
    func write() throws(UsageError) {
        try FileOutput.write(self.credentials.privateKeyPEM, to: self.files.privateKeyPath, mode: 0o600)
        try FileOutput.write(self.credentials.certificatePEM, to: self.files.certificateChainPath, mode: 0o644)
    }

    /// "Hookgate development CA (<host name>)", within X.509's 64-character limit for a common name.
    private static var commonName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host =
            gethostname(&buffer, buffer.count - 1) == 0
            ? buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) } : ""
        let printable = host.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }
        let name = String(String.UnicodeScalarView(printable.prefix(36)))
        return name.isEmpty ? "Hookgate development CA" : "Hookgate development CA (\(name))"
    }
}
