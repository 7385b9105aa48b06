import HookgateCore

extension JSONValue {
    /// An object of `members`, in order.
    static func members(_ members: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(members.map { JSONValue.Member(key: $0.key, value: $0.value) })
    }

    /// A string, or `null`.
    static func optional(_ text: String?) -> JSONValue {
        text.map(JSONValue.string) ?? .null
    }

    /// An object of string members (Stripe's `metadata`).
    static func metadata(_ pairs: [MetadataEntry]) -> JSONValue {
        .object(pairs.map { JSONValue.Member(key: $0.key, value: .string($0.value)) })
    }

    /// This object with the member `key` set to `value` (replaced in place, or appended).
    func setting(_ key: String, to value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append(JSONValue.Member(key: key, value: value))
        }
        return .object(members)
    }
}
