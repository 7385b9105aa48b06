/// A request's method and path segments, matched against patterns where `*` stands for an id.
struct Route {
    /// The longest id accepted in a path.
    static let maximumIDLength = 255

    let method: String
    let segments: [Substring]

    init(method: String, path: Substring) {
        self.method = method
        self.segments = Array(path.split(separator: "/", omittingEmptySubsequences: false).dropFirst())
    }

    /// Whether the request is `method` on exactly `pattern` (no `*`).
    func matches(_ method: String, _ pattern: String...) -> Bool {
        method == self.method && self.segments.elementsEqual(pattern) { $0 == $1 }
    }

    /// The segment at `*` when the request is `method` on `pattern`.
    func id(_ method: String, _ pattern: String...) -> String? {
        guard method == self.method, self.segments.count == pattern.count else { return nil }
        var id: String?
        for (segment, expected) in zip(self.segments, pattern) {
            if expected == "*" {
                guard !segment.isEmpty, segment.count <= Self.maximumIDLength else { return nil }
                id = String(segment)
            } else if segment != expected {
                return nil
            }
        }
        return id
    }
}
