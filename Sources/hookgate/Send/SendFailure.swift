import AsyncHTTPClient
import NIOSSL

/// Why a request of `hookgate send` got no answer, said so that the fix is clear.
enum SendFailure {
    /// A one-line explanation of `error`, with the likely fix for the usual cases.
    static func describe(_ error: any Error, url: String) -> String {
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "TLS: the server's certificate is not trusted (CERTIFICATE_VERIFY_FAILED); give the CA "
                + "certificate that signed it with --cacert FILE (certs/dev-ca.pem for the development certificate)"
        }
        if error is NIOSSLError {
            return "TLS handshake with \(url) failed: \(text)"
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "cannot connect to \(url): timed out (is 'hookgate serve' running?)"
            case .deadlineExceeded: return "no answer from \(url) in time"
            case .remoteConnectionClosed: return "\(url) closed the connection without answering"
            default: break
            }
        }
        if text.contains("connectionRefused") || text.contains("Connection refused") {
            return "cannot connect to \(url): connection refused (is 'hookgate serve' running?)"
        }
        return text
    }
}
