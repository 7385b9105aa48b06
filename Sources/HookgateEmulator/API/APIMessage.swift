/// One HTTP request to the emulator's API, as the server read it.
public struct APIRequest: Sendable {
    public var method: String
    /// The request target: path and query (`/v1/events?limit=3`).
    public var target: String
    /// Header fields, names as sent.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, target: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        self.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The path without the query.
    var path: Substring { self.target.prefix { $0 != "?" } }
    /// The query, without `?`.
    var query: Substring { self.target.firstIndex(of: "?").map { self.target[self.target.index(after: $0)...] } ?? "" }
}

/// The emulator's answer to an ``APIRequest``.
public struct APIResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        self.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
