import Foundation
import HookgateTestSupport

/// `openssl s_client`, the reference TLS client, for what NIOSSL's client cannot report (the suite chosen).
enum OpenSSLClient {
    /// Connects with TLS 1.2 offering `tls12CipherSuites` (OpenSSL names, in the client's order of preference)
    /// and returns the suite the server chose, e.g. `ECDHE-ECDSA-AES256-GCM-SHA384`.
    static func negotiatedCipher(port: Int, tls12CipherSuites: String) throws -> String {
        // End of input makes s_client close the connection and exit.
        let result = try SpawnedProcess.run(
            executable: "/usr/bin/env",
            arguments: [
                "openssl", "s_client", "-connect", "127.0.0.1:\(port)", "-tls1_2", "-cipher", tls12CipherSuites,
            ],
            environment: ProcessInfo.processInfo.environment
        )
        let text = String(decoding: result.stdout, as: UTF8.self)
        // "New, TLSv1.2, Cipher is ECDHE-ECDSA-AES256-GCM-SHA384"
        guard let line = text.split(separator: "\n").first(where: { $0.contains("Cipher is ") }),
            let name = line.components(separatedBy: "Cipher is ").last
        else {
            throw TestFailure("openssl s_client reported no cipher: \(text.prefix(400))")
        }
        return name.trimmingCharacters(in: .whitespaces)
    }
}
