import HookgateServer

/// The admin listener's application routes, asked in order; the first answer wins (nil from all: the listener
/// answers 404).
struct AdminAPIRouter: Sendable {
    /// The routes, in the order they are asked.
    let routes: [AdminRouter]

    /// The first route's answer to `request`, or nil when no route takes it.
    func route(_ request: AdminRequest) async -> AdminResponse? {
        for route in self.routes {
            if let answer = await route(request) { return answer }
        }
        return nil
    }
}
