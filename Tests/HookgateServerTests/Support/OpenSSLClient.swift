import Foundation
import HookgateTestSupport

/// `openssl s_client`, the reference TLS client, for what NIOSSL's client cannot report (the suite chosen).
enum OpenSSLClient {
    /// Connects with TLS 1.2 offering `tls12CipherSuites` (OpenSSL names, in the client's order of preference)
    /// and returns the suite the server chose, e.g. `ECDHE-ECDSA-AES256-GCM-SHA384`.
    static func negotiatedCipher(port: Int, tls12CipherSuites: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "s_client", "-connect", "127.0.0.1:\(port)", "-tls1_2", "-cipher", tls12CipherSuites,
        ]
        let input = CloseOnExecStream()
        let output = CloseOnExecStream()
        process.standardInput = input.childEnd
        process.standardOutput = output.childEnd
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.closeChildEnd()
        output.closeChildEnd()
        // End of input makes s_client close the connection and exit.
        try input.parentEnd.close()
        let text = String(decoding: output.parentEnd.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // "New, TLSv1.2, Cipher is ECDHE-ECDSA-AES256-GCM-SHA384"
        guard let line = text.split(separator: "\n").first(where: { $0.contains("Cipher is ") }),
            let name = line.components(separatedBy: "Cipher is ").last
        else {
            throw TestFailure("openssl s_client reported no cipher: \(text.prefix(400))")
        }
        return name.trimmingCharacters(in: .whitespaces)
    }
}
