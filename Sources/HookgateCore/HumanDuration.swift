/// Short human descriptions of durations and instants.
public enum HumanDuration {
    /// `seconds` as e.g. `1 h 10 min`, `3 min 20 s`, `42 s` or `2 d 4 h`.
    public static func describe(seconds: Int64) -> String {
        let units: [(Int64, String)] = [(86_400, "d"), (3_600, "h"), (60, "min"), (1, "s")]
        var remaining = seconds
        var parts: [String] = []
        for (size, name) in units where remaining >= size || (size == 1 && parts.isEmpty) {
            parts.append("\(remaining / size) \(name)")
            remaining %= size
            if parts.count == 2 { break }
        }
        return parts.joined(separator: " ")
    }
}
