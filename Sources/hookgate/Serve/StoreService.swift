import HookgateStore
import ServiceLifecycle

/// Keeps the delivery store open while the gateway runs, and closes it (finishing the appends already
/// accepted) once the services above it in the group have stopped.
struct StoreService: Service {
    let store: any DeliveryStore

    func run() async throws {
        try? await gracefulShutdown()
        await self.store.close()
    }
}
