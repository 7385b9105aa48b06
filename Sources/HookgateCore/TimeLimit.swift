/// `operation`'s result, or nil when `limit` passes first: `operation` is then cancelled, and its task awaited.
/// For a wait no callee bounds as a whole (an HTTP client's deadline that ends with the answer's head, say).
/// - Throws: What `operation` throws before `limit`.
public func withTimeLimit<T: Sendable>(
    _ limit: Duration,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T? {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        return try await group.next() ?? nil
    }
}
