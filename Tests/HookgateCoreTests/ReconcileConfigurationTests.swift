import HookgateCore
import Testing

/// The `reconcile` section: off by default, `interval` from 1 minute to 1 day, printed back as configured.
struct ReconcileConfigurationTests {
    func decode(_ reconcile: String) throws(ConfigurationError) -> HookgateConfiguration {
        try HookgateConfiguration.decode(
            Array(ConfigurationDecodingTests.document("\"reconcile\": \(reconcile)").utf8)
        )
    }

    /// Without the section, or without `interval`, `serve` never reconciles.
    @Test func offByDefault() throws {
        let configuration = try HookgateConfiguration.decode(Array(ConfigurationDecodingTests.document().utf8))
        #expect(configuration.reconcile.intervalSeconds == nil)
        #expect(configuration.redactedJSON["reconcile"] == .object([]))
        #expect(try self.decode("{}").reconcile.intervalSeconds == nil)
    }

    /// Each unit; `check-config` prints the largest whole unit.
    @Test(arguments: [
        ("60s", 60, "1m"), ("15m", 900, "15m"), ("2h", 7_200, "2h"), ("1d", 86_400, "1d"), ("90s", 90, "90s"),
    ])
    func intervals(_ text: String, _ seconds: Int64, _ printed: String) throws {
        let configuration = try self.decode("{\"interval\": \"\(text)\"}")
        #expect(configuration.reconcile.intervalSeconds == seconds)
        #expect(configuration.redactedJSON["reconcile"]?["interval"] == .string(printed))
    }

    /// Below a minute, above a day, without a unit or not a duration: an issue naming the key.
    @Test(arguments: ["\"30s\"", "\"2d\"", "\"15\"", "\"15 m\"", "\"-5m\"", "\"m\"", "900"])
    func badIntervals(_ value: String) {
        do {
            _ = try self.decode("{\"interval\": \(value)}")
            Issue.record("decoded: \(value)")
        } catch {
            #expect(error.issues.map(\.description).allSatisfy { $0.hasPrefix("$.reconcile.interval: ") }, "\(error)")
        }
    }

    /// An unknown key in the section is an issue.
    @Test func unknownKey() {
        #expect(throws: ConfigurationError.self) { try self.decode("{\"every\": \"15m\"}") }
    }
}
