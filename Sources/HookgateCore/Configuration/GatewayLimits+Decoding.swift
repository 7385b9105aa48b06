extension GatewayLimits {
    /// A size or count limit: its key in `limits`, the values accepted and the property it sets.
    struct SizeKey: Sendable {
        let key: String
        let range: ClosedRange<Int>
        let property: any WritableKeyPath<GatewayLimits, Int> & Sendable
    }

    /// A time limit in milliseconds: its key in `limits`, the values accepted and the property it sets.
    struct DurationKey: Sendable {
        let key: String
        let range: ClosedRange<Int>
        let property: any WritableKeyPath<GatewayLimits, Duration> & Sendable
    }

    /// The largest body and decompressed size accepted as a limit: 64 MiB.
    public static let largestBodyLimit = 64 * 1024 * 1024

    static let sizeKeys = [
        SizeKey(key: "max_connections", range: 1...1_000_000, property: \.maximumConnections),
        SizeKey(key: "max_header_bytes", range: 1_024...1_048_576, property: \.maximumHeaderBytes),
        SizeKey(key: "max_body_bytes", range: 1...largestBodyLimit, property: \.maximumBodyBytes),
        SizeKey(key: "max_decompressed_bytes", range: 1...largestBodyLimit, property: \.maximumDecompressedBytes),
        SizeKey(key: "max_decompression_ratio", range: 1...10_000, property: \.maximumDecompressionRatio),
        SizeKey(
            key: "rejected_log_lines_per_second",
            range: 1...1_000_000,
            property: \.rejectedRequestLogLinesPerSecond
        ),
    ]

    static let durationKeys = [
        DurationKey(key: "header_read_timeout_ms", range: 1...3_600_000, property: \.headerReadTimeout),
        DurationKey(key: "body_read_timeout_ms", range: 1...3_600_000, property: \.bodyReadTimeout),
        DurationKey(key: "idle_timeout_ms", range: 1...3_600_000, property: \.idleTimeout),
        DurationKey(key: "shutdown_grace_period_ms", range: 1...600_000, property: \.shutdownGracePeriod),
    ]

    /// Decodes the `limits` object; keys left out keep their defaults.
    static func decode(_ value: JSONValue, at path: JSONPath, reader: inout ConfigurationReader) -> GatewayLimits {
        var limits = GatewayLimits()
        let keys = Self.sizeKeys.map(\.key) + Self.durationKeys.map(\.key)
        guard let fields = reader.fields(of: value, at: path, keys: keys) else { return limits }
        for size in Self.sizeKeys {
            if let value = reader.integer(size.key, in: fields, range: size.range) {
                limits[keyPath: size.property] = value
            }
        }
        for duration in Self.durationKeys {
            if let value = reader.integer(duration.key, in: fields, range: duration.range) {
                limits[keyPath: duration.property] = .milliseconds(value)
            }
        }
        return limits
    }
}
