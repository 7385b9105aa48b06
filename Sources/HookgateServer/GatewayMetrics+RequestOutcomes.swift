import Foundation
import Prometheus

extension GatewayMetrics {
    /// The requests answered since the gateway started, by outcome (`ok`, `duplicate` or an error code such as
    /// `signature_mismatch`, `store_unavailable`), summed over endpoints: the `hookgate.requests` counters, read
    /// back from the registry's exposition (the request path keeps no second tally).
    public func requestsByOutcome() -> [String: Int] {
        var text: [UInt8] = []
        self.registry.emit(into: &text)
        var counts: [String: Int] = [:]
        for line in text.split(separator: UInt8(ascii: "\n")) {
            let line = String(decoding: line, as: UTF8.self)
            guard line.hasPrefix("hookgate_requests{"), let close = line.lastIndex(of: "}"),
                let outcomeStart = line.range(of: "outcome=\"", options: .backwards)?.upperBound,
                let outcomeEnd = line[outcomeStart..<close].firstIndex(of: "\""),
                let value = Double(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces))
            else { continue }
            counts[String(line[outcomeStart..<outcomeEnd]), default: 0] += Int(value)
        }
        return counts
    }
}
