/// What happened to one event `hookgate send` posted.
struct SendResult: Sendable {
    /// The event's id.
    let eventID: String
    /// The status answered, or `nil` when no answer came.
    let status: Int?
    /// The response body (at most a few KiB), or why there was no answer.
    let message: String
    /// From the start of the request to the end of the response.
    let latency: Duration

    /// Whether the answer was 2xx.
    var succeeded: Bool { self.status.map { (200..<300).contains($0) } ?? false }
}
