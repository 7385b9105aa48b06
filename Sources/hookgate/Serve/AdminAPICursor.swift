import Foundation
import HookgateStore

/// The `next` / `before` cursor of the newest-first delivery list: the key of a page's last delivery
/// (``DeliveryCursor``, received time then id), written `<received ms>.<id>`. Opaque to clients: they pass
/// back what a page's `next` gave them.
enum AdminAPICursor {
    /// The longest cursor read (two 19-digit numbers and the dot).
    static let maximumLength = 39

    /// The cursor text of `cursor`.
    static func text(_ cursor: DeliveryCursor) -> String {
        "\(cursor.receivedAt.unixMilliseconds).\(cursor.id.rawValue)"
    }

    /// The cursor `text` stands for; nil when it is not one this API wrote.
    static func cursor(_ text: String) -> DeliveryCursor? {
        guard text.utf8.count <= maximumLength else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
            let milliseconds = Int64(parts[0]), let id = Int64(parts[1])
        else { return nil }
        return DeliveryCursor(
            receivedAt: Date(timeIntervalSince1970: Double(milliseconds) / 1000),
            id: DeliveryID(id)
        )
    }
}

extension Date {
    /// Milliseconds since 1970, as the store keeps received times.
    fileprivate var unixMilliseconds: Int64 {
        Int64((self.timeIntervalSince1970 * 1000).rounded())
    }
}
