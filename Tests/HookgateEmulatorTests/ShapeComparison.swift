import Foundation
import HookgateCore

/// Compares an emulator object with a recorded Stripe object: the same member names, and the same JSON
/// type wherever neither side is `null`.
enum ShapeComparison {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// A recorded object, `stripe-api/payment_intent.json` for instance.
    static func fixture(_ name: String) throws -> JSONValue {
        try JSONValueParser.parse(Array(try Data(contentsOf: self.fixtures.appendingPathComponent(name))))
    }

    /// Differences between `object` and `recorded` at the top level, as readable lines (empty: same shape).
    static func differences(_ object: JSONValue?, _ recorded: JSONValue, path: String = "$") -> [String] {
        guard case .object(let members)? = object, case .object(let expected) = recorded else {
            return ["\(path): not an object"]
        }
        var lines: [String] = []
        let names = Set(members.map(\.key))
        let expectedNames = Set(expected.map(\.key))
        for name in expectedNames.subtracting(names).sorted() { lines.append("\(path).\(name): missing") }
        for name in names.subtracting(expectedNames).sorted() { lines.append("\(path).\(name): not in Stripe's") }
        for member in expected {
            guard let value = object?[member.key], value != .null, member.value != .null else { continue }
            if Self.kind(value) != Self.kind(member.value) {
                lines.append(
                    "\(path).\(member.key): \(value.kindDescription), Stripe's is \(member.value.kindDescription)"
                )
            }
        }
        return lines
    }

    private static func kind(_ value: JSONValue) -> String {
        value.kindDescription
    }
}
