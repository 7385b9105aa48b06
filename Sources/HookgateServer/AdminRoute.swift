/// A request to an admin route the application adds (the delivery API), after the built-in ones.
public struct AdminRequest: Sendable {
    /// `GET`, `POST`, ...
    public var method: String
    /// The path, without the query.
    public var path: String
    /// The query's parameters, percent-decoded; a repeated name keeps its last value.
    public var query: [String: String]
    /// The request's header fields, names lowercased; a repeated name keeps its values joined by `, `.
    public var headers: [String: String]
    /// The request body (at most ``AdminServer/maximumRequestBodyBytes``).
    public var body: [UInt8]

    /// Creates a request (as a listener, or a proxy in front of the admin routes, sees it).
    public init(method: String, path: String, query: [String: String], headers: [String: String], body: [UInt8]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}

/// An admin route's answer.
public struct AdminResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The `Content-Type`.
    public var contentType: String
    /// The body.
    public var body: [UInt8]
    /// Header fields besides `content-type` and `content-length` (e.g. `content-disposition`).
    public var headers: [(name: String, value: String)]

    /// Creates an answer.
    public init(
        status: Int,
        contentType: String = "application/json",
        body: [UInt8],
        headers: [(name: String, value: String)] = []
    ) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
    }
}

/// Answers the application's admin routes; nil for a path it does not know (the listener answers 404).
public typealias AdminRouter = @Sendable (AdminRequest) async -> AdminResponse?
