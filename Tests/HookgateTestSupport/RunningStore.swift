public import HookgateStore

extension SQLiteDeliveryStore {
    /// Opens a store and starts its ``SQLiteDeliveryStore/run()`` (committers, checkpoints) in a task that
    /// ``SQLiteDeliveryStore/close()`` ends and waits for: tests close the store as they did before it was a
    /// service. It never purges on its own, so a test's old deliveries stay until the test purges.
    public static func running(configuration: Configuration) throws(StoreError) -> SQLiteDeliveryStore {
        var configuration = configuration
        configuration.retention.purgeInterval = nil
        let store = try SQLiteDeliveryStore(configuration: configuration)
        Task { try await store.run() }
        return store
    }
}
