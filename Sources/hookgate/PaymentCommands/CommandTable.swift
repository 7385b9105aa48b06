import HookgateCore
import HookgateStore

/// `commands list` as a table: a header row, one command per row in the order given, columns one space apart.
///
/// Ids (the store's, the CloudEvent's, Stripe's) are never cut. Without a `width` (standard output is not a
/// terminal) every value is whole; on a terminal of `width` columns the last error is cut to what is left of the
/// line (never below 12 characters), ending in `…`.
enum CommandTable {
    private static let headers = [
        "ID", "RECEIVED", "TYPE", "STATE", "ATT", "ORDER", "AMOUNT", "STRIPE", "COMMAND", "LAST ERROR",
    ]
    private static let rightAligned: Set<Int> = [0, 4, 6]
    /// The narrowest the last error is cut to.
    private static let minimumErrorWidth = 12

    /// The table, one line per row, each ending in a newline.
    static func render(_ records: [CommandRecord], width: Int?) -> String {
        let rows = [headers] + records.map(self.cells)
        var widths = headers.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        if let width {
            let others = widths.dropLast().reduce(0, +) + widths.count - 1
            widths[widths.count - 1] = min(widths[widths.count - 1], max(minimumErrorWidth, width - others))
        }
        return rows.map { self.line($0, widths: widths) }.joined()
    }

    /// A record's cells; what came from the command or from Stripe is shown with its control characters escaped.
    private static func cells(_ record: CommandRecord) -> [String] {
        let received = record.received
        let form = StripeForm.summary(of: received.request)
        let stripe = record.stripeObject.map { [$0.id, $0.status].compactMap { $0 }.joined(separator: " ") }
        let shown: [String?] = [
            received.kind, record.state.rawValue, String(record.attemptCount),
            form.orderID ?? received.subject, self.amount(form.amount, form.currency), stripe, received.commandID,
        ]
        return [record.id.description, DeliveryTime.seconds(received.receivedAt)]
            + shown.map { $0.map(DisplayText.escapingControls) ?? "-" }
            + [record.lastError.map(DisplayText.escapingControls) ?? ""]
    }

    /// The form's amount with its currency (`1999 eur`), the amount alone (a refund), or `rest` for a refund of
    /// whatever is left.
    private static func amount(_ amount: String?, _ currency: String?) -> String {
        guard let amount else { return "rest" }
        return [amount, currency].compactMap { $0 }.joined(separator: " ")
    }

    /// `cells` fitted to `widths`, one space apart, without trailing spaces, ending in a newline.
    private static func line(_ cells: [String], widths: [Int]) -> String {
        let fitted = cells.indices.map { column in
            let text = cells[column]
            let width = widths[column]
            if text.count > width { return String(text.prefix(max(0, width - 1))) + "…" }
            let padding = String(repeating: " ", count: width - text.count)
            return rightAligned.contains(column) ? padding + text : text + padding
        }
        return String(fitted.joined(separator: " ").reversed().drop { $0 == " " }.reversed()) + "\n"
    }
}
