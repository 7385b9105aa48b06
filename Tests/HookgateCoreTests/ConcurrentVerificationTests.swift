import HookgateCore
import Testing

/// The gateway shares one keyring between all event loops: verifications run concurrently on it.
struct ConcurrentVerificationTests {
    @Test(.timeLimit(.minutes(1)))
    func sharedKeyringVerifiesFromManyTasks() async throws {
        let keys = try keyring("whsec_first", "whsec_second", "whsec_third")
        let t: Int64 = 1_800_000_000
        let bodies = (0..<64).map {
            Array("{\"id\":\"evt_\($0)\",\"padding\":\"\(String(repeating: "x", count: $0 * 31))\"}".utf8)
        }
        let headers = try bodies.enumerated().map { index, body in
            try stripeHeader(body, secrets: ["whsec_first", "whsec_second", "whsec_third"][index % 3], at: t)
        }
        let results = await withTaskGroup(of: Bool.self) { group in
            for round in 0..<8 {
                for index in bodies.indices {
                    let body = bodies[index]
                    // Every other round verifies against the wrong body: those must fail.
                    let header = headers[(index + round % 2) % bodies.count]
                    group.addTask {
                        stripeCode(body, header: header, keyring: keys, now: t) == nil
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 8 * 64)
        #expect(results.filter { $0 }.count == 4 * 64)
    }
}
