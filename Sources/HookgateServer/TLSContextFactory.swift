import Foundation
import HookgateCore
import NIOSSL

/// Builds the server's TLS context: TLS 1.2 minimum (set explicitly, NIOSSL defaults to 1.0), TLS 1.3,
/// forward-secret AEAD cipher suites only, ALPN `http/1.1`.
enum TLSContextFactory {
    /// The TLS 1.2 suites offered (TLS 1.3 suites are fixed by BoringSSL and all modern).
    static let tls12CipherSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]

    /// Loads the PEM files and makes the context. Reads files: call it off the event loops.
    /// - Returns: the context and the leaf certificate's expiry.
    static func makeContext(files: TLSFiles) throws -> (NIOSSLContext, Date) {
        let chain = try NIOSSLCertificate.fromPEMFile(files.certificateChainPath)
        guard let leaf = chain.first else {
            throw IngressConfigurationError("\(files.certificateChainPath) holds no certificate")
        }
        let key = try NIOSSLPrivateKey(file: files.privateKeyPath, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.maximumTLSVersion = .tlsv13
        configuration.cipherSuiteValues = self.tls12CipherSuites
        configuration.applicationProtocols = ["http/1.1"]
        let context = try NIOSSLContext(configuration: configuration)
        return (context, Date(timeIntervalSince1970: TimeInterval(leaf.notValidAfter)))
    }
}
