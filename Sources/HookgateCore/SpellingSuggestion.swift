/// The "did you mean" of a mistyped name: the known name closest to what was typed.
public enum SpellingSuggestion {
    /// The name in `names` at most two edits (insertions, deletions, substitutions) away from `typed`
    /// (compared in lowercase), if any; the first of the closest.
    public static func closest(to typed: String, among names: [String]) -> String? {
        let typed = Array(typed.lowercased().utf8)
        func distance(_ candidate: [UInt8]) -> Int {
            var previous = Array(0...candidate.count)
            for (row, byte) in typed.enumerated() {
                var current = [row + 1]
                for (column, other) in candidate.enumerated() {
                    current.append(
                        min(previous[column + 1] + 1, current[column] + 1, previous[column] + (byte == other ? 0 : 1))
                    )
                }
                previous = current
            }
            return previous[candidate.count]
        }
        let ranked = names.map { (name: $0, distance: distance(Array($0.utf8))) }.min { $0.distance < $1.distance }
        guard let ranked, ranked.distance <= 2 else { return nil }
        return ranked.name
    }
}
