import HookgateStore
import ServiceLifecycle

extension DeliveryStore {
    /// Runs the store as the service it is (its committers, and PostgreSQL's connection pool, work only while
    /// ``DeliveryStore/run()`` runs) around `body`, then closes it; for the commands that change a store.
    func whileRunning<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.run() }
            let result: Result<T, any Error>
            do {
                result = .success(try await body())
            } catch {
                result = .failure(error)
            }
            await self.close()
            try await group.waitForAll()
            return try result.get()
        }
    }
}
