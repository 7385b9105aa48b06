import HookgateStore

/// `deliveries list` as a table for a terminal: a header row, one delivery per row in the order given, columns
/// one space apart. When the rows are wider than `width`, the event id column is shortened first (down to 14
/// characters), then the type (to 14), then the endpoint (to 8), then the widest of them, each cut ending in `…`.
enum DeliveryTable {
    private static let headers = ["ID", "RECEIVED", "STATE", "ATT", "ENDPOINT", "TYPE", "EVENT"]
    private static let rightAligned: Set<Int> = [0, 3]
    /// The columns that may be shortened, in the order they are shortened, and how far in the first round.
    private static let shortening: [(column: Int, minimum: Int)] = [(6, 14), (5, 14), (4, 8)]
    /// How far any shortened column goes when the first round is not enough.
    private static let minimumWidth = 4

    /// The table, one line per row, each ending in a newline.
    static func render(_ records: [DeliveryRecord], width: Int) -> String {
        let rows = [headers] + records.map(self.cells)
        var widths = headers.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var excess = widths.reduce(0, +) + (headers.count - 1) - width
        for (column, minimum) in shortening where excess > 0 {
            let cut = min(excess, max(0, widths[column] - minimum))
            widths[column] -= cut
            excess -= cut
        }
        while excess > 0 {
            let columns = shortening.map(\.column).filter { widths[$0] > minimumWidth }
            guard let widest = columns.max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
            excess -= 1
        }
        return rows.map { row in
            let cells = row.indices.map { column in
                self.fit(row[column], width: widths[column], right: rightAligned.contains(column))
            }
            return String(cells.joined(separator: " ").reversed().drop { $0 == " " }.reversed()) + "\n"
        }.joined()
    }

    private static func cells(_ record: DeliveryRecord) -> [String] {
        [
            record.id.description, DeliveryTime.seconds(record.received.receivedAt), record.state.rawValue,
            String(record.attemptCount), record.received.endpoint, record.received.eventType,
            record.received.eventID,
        ]
    }

    /// `text` padded to `width`, or cut to `width - 1` characters and `…`.
    private static func fit(_ text: String, width: Int, right: Bool) -> String {
        if text.count > width { return String(text.prefix(max(0, width - 1))) + "…" }
        let padding = String(repeating: " ", count: width - text.count)
        return right ? padding + text : text + padding
    }
}
