import Foundation
import HookgateCore
import NIOSSL

/// Everything one connection runs with, fixed when it is accepted: a reload builds a new snapshot, and open
/// connections keep theirs.
final class IngressSnapshot: Sendable {
    /// The settings it was built from.
    let settings: GatewaySettings
    /// The TLS context made from `settings.tls`.
    let sslContext: NIOSSLContext
    /// When the leaf certificate expires.
    let certificateNotValidAfter: Date
    /// The addresses some endpoint accepts requests from, or nil when one accepts every address (an endpoint
    /// without `allowed_sources`). A connection from elsewhere could only ever be answered 403, so it is closed
    /// at accept, before its TLS handshake costs anything.
    let admittedSources: [AddressRange]?

    /// Builds the TLS context and checks the endpoints.
    /// - Throws: ``IngressConfigurationError`` or an error from NIOSSL when the certificate or key cannot be
    ///   loaded.
    init(settings: GatewaySettings) throws {
        var seenPaths = Set<String>()
        for endpoint in settings.endpoints {
            guard endpoint.path.hasPrefix("/") else {
                throw IngressConfigurationError("endpoint \(endpoint.name): the path must start with /")
            }
            guard seenPaths.insert(endpoint.path).inserted else {
                throw IngressConfigurationError("endpoint \(endpoint.name): the path \(endpoint.path) is used twice")
            }
            guard endpoint.keyring.schemeName == endpoint.scheme.name else {
                throw IngressConfigurationError("endpoint \(endpoint.name): the keyring is for another scheme")
            }
        }
        guard !settings.listen.isEmpty else { throw IngressConfigurationError("no listen address") }
        let (context, notAfter) = try TLSContextFactory.makeContext(files: settings.tls)
        self.settings = settings
        self.sslContext = context
        self.certificateNotValidAfter = notAfter
        let endpoints = settings.endpoints
        self.admittedSources =
            endpoints.contains { $0.allowedSources.isEmpty } ? nil : endpoints.flatMap(\.allowedSources)
    }

    /// Whether a connection from `address` (4 or 16 bytes; empty when not an IP peer) can reach an endpoint.
    func admits(peer address: [UInt8]) -> Bool {
        guard let admittedSources else { return true }
        return admittedSources.contains { $0.contains(address) }
    }
}

/// Settings the ingress cannot run with.
public struct IngressConfigurationError: Error, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
