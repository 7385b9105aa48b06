import ArgumentParser
import HookgateCore

/// `--set PATH=VALUE`: replaces or adds one field of the event, e.g. `data.object.amount=500`.
///
/// The path is keys separated by dots (an array element by its index, `data.object.refunds.data.0.amount`);
/// missing object keys are created. The value is JSON when it parses as JSON (`500`, `true`, `null`,
/// `"500"`, `{"a":1}`), else the text as a string.
struct JSONFieldAssignment: ExpressibleByArgument, Sendable {
    let path: [String]
    let value: JSONValue

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "=") else { return nil }
        let path = argument[..<equals].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.contains(where: \.isEmpty) else { return nil }
        let text = String(argument[argument.index(after: equals)...])
        self.path = path
        self.value = (try? JSONValueParser.parse(text)) ?? .string(text)
    }

    /// `document` with the field set.
    /// - Throws: ``UsageError`` when the path runs into a value that is neither an object nor an array.
    func apply(to document: JSONValue) throws(UsageError) -> JSONValue {
        try self.set(in: document, at: self.path[...])
    }

    private func set(in value: JSONValue, at path: ArraySlice<String>) throws(UsageError) -> JSONValue {
        guard let key = path.first else { return self.value }
        let rest = path.dropFirst()
        switch value {
        case .object(var members):
            if let index = members.firstIndex(where: { $0.key == key }) {
                members[index].value = try self.set(in: members[index].value, at: rest)
            } else {
                members.append(JSONValue.Member(key: key, value: try self.set(in: .object([]), at: rest)))
            }
            return .object(members)
        case .null:
            return try self.set(in: .object([]), at: path)
        case .array(var elements):
            guard let index = Int(key), elements.indices.contains(index) else {
                throw self.failure("'\(key)' is not an index of the array (0..<\(elements.count))", at: path)
            }
            elements[index] = try self.set(in: elements[index], at: rest)
            return .array(elements)
        default:
            throw self.failure("cannot go into \(value.kindDescription)", at: path)
        }
    }

    private func failure(_ reason: String, at remaining: ArraySlice<String>) -> UsageError {
        let reached = self.path.prefix(self.path.count - remaining.count).joined(separator: ".")
        return UsageError(
            "--set \(self.path.joined(separator: ".")): \(reason) at '\(reached.isEmpty ? "(top)" : reached)'"
        )
    }
}
