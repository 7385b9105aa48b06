import Foundation
import Logging
import Testing

@testable import HookgateServer

struct JSONLogHandlerTests {
    /// A line is one JSON object with the fixed members and every metadata key, escaped.
    @Test func rendersOneJSONObject() throws {
        let line = JSONLogHandler.line(
            time: Date(timeIntervalSince1970: 1_764_000_000),
            level: .info,
            label: "hookgate.ingress",
            message: "webhook \"request\"\n",
            metadata: [
                LogKey.endpoint: "stripe", LogKey.latencyMilliseconds: "0.42",
                "list": .array(["a", "b"]), "nested": .dictionary(["k": "v"]),
            ]
        )
        #expect(!line.contains("\n"))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        )
        #expect(object["time"] as? String == "2025-11-24T16:00:00.000Z")
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "hookgate.ingress")
        #expect(object["message"] as? String == "webhook \"request\"\n")
        #expect(object["hookgate.endpoint"] as? String == "stripe")
        #expect(object["hookgate.latency_ms"] as? String == "0.42")
        #expect(object["list"] as? [String] == ["a", "b"])
        #expect((object["nested"] as? [String: String])?["k"] == "v")
    }
}
