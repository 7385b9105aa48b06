import CHookgateTLS
import Foundation
import HookgateCore
import NIOSSL

/// Builds the server's TLS context: TLS 1.2 minimum (set explicitly, NIOSSL defaults to 1.0), TLS 1.3,
/// forward-secret AEAD cipher suites only, chosen in the server's order, ALPN `http/1.1`.
enum TLSContextFactory {
    /// The TLS 1.2 suites offered, strongest first; the server picks the first one the client also offers
    /// (TLS 1.3 suites are fixed by BoringSSL and all modern).
    static let tls12CipherSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
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
        try self.preferServerCipherOrder(context)
        return (context, Date(timeIntervalSince1970: TimeInterval(leaf.notValidAfter)))
    }

    /// Makes the server choose the TLS 1.2 suite by its own order, not the client's
    /// (`SSL_OP_CIPHER_SERVER_PREFERENCE`, as nginx's `ssl_prefer_server_ciphers on`).
    ///
    /// NIOSSL has no setting for it, so this reaches the context's `SSL_CTX` through its stored property; it
    /// runs before any connection uses the context. If a NIOSSL release renames that property, start-up fails
    /// here (and the tests that check the chosen suite fail) instead of silently following the client.
    private static func preferServerCipherOrder(_ context: NIOSSLContext) throws {
        guard let sslContext = Mirror(reflecting: context).descendant("sslContext") as? OpaquePointer else {
            throw IngressConfigurationError("cannot set the server's cipher order: NIOSSL's context has changed")
        }
        CHookgateTLS_prefer_server_cipher_order(UnsafeMutableRawPointer(sslContext))
    }
}
