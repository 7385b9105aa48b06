import HookgateCore
import NIOHTTP1

/// The checks on a request head that need no body: method, path, media type, content encoding and the
/// declared length. They decide whether the body is read and how many bytes of it at most.
enum RequestHeadCheck {
    /// What an acceptable head allows.
    struct Accepted {
        /// The endpoint serving the path.
        var endpoint: GatewayEndpoint
        /// Body bytes to read at most: the endpoint's limit within the global one, and for gzip also within
        /// the decompressed limit (the decompressor sits before the connection handler, so bytes are decoded).
        var bodyLimit: Int
    }

    /// Checks a head against the endpoints and limits of `settings`: 405, 404, 415 (media type or encoding),
    /// then 413 for a declared length over the limit.
    static func check(_ head: HTTPRequestHead, settings: GatewaySettings) -> Result<Accepted, ErrorResponse> {
        guard head.method == .POST else { return .failure(.methodNotAllowed) }
        guard let endpoint = settings.endpoint(forTarget: head.uri) else { return .failure(.notFound) }
        guard let contentType = head.headers.first(name: "content-type"), Self.isJSON(contentType) else {
            return .failure(.unsupportedMediaType)
        }
        let limit = min(endpoint.maximumBodyBytes, settings.limits.maximumBodyBytes)
        let bodyLimit: Int
        switch head.headers.first(name: "content-encoding").map({ $0.lowercased() }) {
        case nil, "identity":
            bodyLimit = limit
        case "gzip":
            bodyLimit = min(limit, settings.limits.maximumDecompressedBytes)
        default:
            return .failure(.unsupportedEncoding)
        }
        // For gzip the declared length is the compressed one, checked against the endpoint's limit.
        if let length = head.headers.first(name: "content-length").flatMap({ Int($0) }), length > limit {
            return .failure(.payloadTooLarge)
        }
        return .success(Accepted(endpoint: endpoint, bodyLimit: bodyLimit))
    }

    /// Whether the client waits for `100 Continue` before it sends the body.
    static func expectsContinue(_ head: HTTPRequestHead) -> Bool {
        head.headers.first(name: "expect")?.lowercased() == "100-continue"
    }

    /// Whether a `Content-Type` value is `application/json`, with any parameters.
    static func isJSON(_ contentType: String) -> Bool {
        let mediaType =
            contentType.utf8.firstIndex(of: UInt8(ascii: ";")).map { contentType[..<$0] } ?? contentType[...]
        let trimmed = mediaType.utf8.drop { $0 == UInt8(ascii: " ") }.reversed().drop { $0 == UInt8(ascii: " ") }
        let expected = "nosj/noitacilppa".utf8
        return trimmed.count == expected.count
            && zip(trimmed, expected).allSatisfy { ($0 | 0x20) == $1 || ($0 == $1) }
    }
}

extension GatewaySettings {
    /// The endpoint serving `target`'s path (the request target without its query).
    func endpoint(forTarget target: String) -> GatewayEndpoint? {
        let path = target.utf8.firstIndex(of: UInt8(ascii: "?")).map { target[..<$0] } ?? target[...]
        return self.endpoint(forPath: path)
    }
}
