extension ReconcileConfiguration {
    static let keys = ["interval"]

    /// Decodes `reconcile`; `interval` is a whole number and a unit, `s`, `m`, `h` or `d` (`"15m"`).
    static func decode(_ value: JSONValue, at path: JSONPath, reader: inout ConfigurationReader) -> Self {
        var reconcile = ReconcileConfiguration()
        guard let fields = reader.fields(of: value, at: path, keys: Self.keys) else { return reconcile }
        reconcile.intervalSeconds = reader.parsed(
            "interval",
            in: fields,
            problem: "expected a duration from 1m to 1d, e.g. \"15m\" (units s, m, h, d)"
        ) { text in
            Self.seconds(text).flatMap {
                (Self.minimumIntervalSeconds...Self.maximumIntervalSeconds).contains($0) ? $0 : nil
            }
        }
        return reconcile
    }

    /// The seconds of a duration such as `90s`, `15m`, `2h` or `1d`; `nil` when it is not one.
    static func seconds(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        guard let unit = text.last.flatMap({ units[$0] }), text.count <= 8,
            let amount = Int64(text.dropLast()), amount > 0
        else { return nil }
        return amount * unit
    }
}
