import HookgateCore
import HookgateStore

/// `deliveries list` as a table: a header row, one delivery per row in the order given, columns one space apart.
///
/// Ids are never cut. Without a `width` (standard output is not a terminal) every value is whole. On a terminal
/// of `width` columns a row too wide is fitted by cutting the type (down to 14 characters), then the endpoint
/// (to 8), each cut ending in `…`; when that is not enough, each row's event id goes on a line of its own under
/// it, and the type and endpoint are cut as far as needed (to 4 characters at the least).
enum DeliveryTable {
    private static let headers = ["ID", "RECEIVED", "STATE", "ATT", "ENDPOINT", "TYPE", "EVENT"]
    private static let rightAligned: Set<Int> = [0, 3]
    /// The columns that may be cut, in the order they are cut, and how far in the first round.
    private static let shortening: [(column: Int, minimum: Int)] = [(5, 14), (4, 8)]
    /// How far a cut column goes when the first round is not enough.
    private static let minimumWidth = 4

    /// The table, one line per row (two when the event ids have lines of their own), each ending in a newline.
    static func render(_ records: [DeliveryRecord], width: Int?) -> String {
        let rows = [headers] + records.map(self.cells)
        let widths = headers.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        guard let width else { return rows.map { self.line($0, widths: widths) }.joined() }
        let oneLine = self.shortened(widths, by: self.lineWidth(widths) - width, further: false)
        if self.lineWidth(oneLine) <= width { return rows.map { self.line($0, widths: oneLine) }.joined() }
        let withoutEvent = Array(widths.dropLast())
        let wrapped = self.shortened(withoutEvent, by: self.lineWidth(withoutEvent) - width, further: true)
        let indent = String(repeating: " ", count: widths[0] + 1)
        return rows.map { row in
            self.line(Array(row.dropLast()), widths: wrapped) + indent + row[row.count - 1] + "\n"
        }.joined()
    }

    /// A record's cells; what came from a body is shown with its control characters escaped.
    private static func cells(_ record: DeliveryRecord) -> [String] {
        [
            record.id.description, DeliveryTime.seconds(record.received.receivedAt), record.state.rawValue,
            String(record.attemptCount), record.received.endpoint,
            DisplayText.escapingControls(record.received.eventType),
            DisplayText.escapingControls(record.received.eventID),
        ]
    }

    /// `widths` with the type, then the endpoint, cut by `excess` in all as far as their first-round minimums;
    /// when `further`, then the wider of them one character at a time, down to ``minimumWidth``.
    private static func shortened(_ widths: [Int], by excess: Int, further: Bool) -> [Int] {
        var widths = widths
        var excess = excess
        for (column, minimum) in shortening where excess > 0 {
            let cut = min(excess, max(0, widths[column] - minimum))
            widths[column] -= cut
            excess -= cut
        }
        while further, excess > 0 {
            let columns = shortening.map(\.column).filter { widths[$0] > minimumWidth }
            guard let widest = columns.max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
            excess -= 1
        }
        return widths
    }

    /// How wide a line of columns of `widths` is, one space apart.
    private static func lineWidth(_ widths: [Int]) -> Int {
        widths.reduce(0, +) + widths.count - 1
    }

    /// `cells` fitted to `widths`, one space apart, without trailing spaces, ending in a newline.
    private static func line(_ cells: [String], widths: [Int]) -> String {
        let fitted = cells.indices.map { column in
            self.fit(cells[column], width: widths[column], right: rightAligned.contains(column))
        }
        return String(fitted.joined(separator: " ").reversed().drop { $0 == " " }.reversed()) + "\n"
    }

    /// `text` padded to `width`, or cut to `width - 1` characters and `…`.
    private static func fit(_ text: String, width: Int, right: Bool) -> String {
        if text.count > width { return String(text.prefix(max(0, width - 1))) + "…" }
        let padding = String(repeating: " ", count: width - text.count)
        return right ? padding + text : text + padding
    }
}
