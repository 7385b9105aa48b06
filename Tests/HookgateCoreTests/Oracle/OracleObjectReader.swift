import HookgateCore

/// Typed access to the members of one JSON object of a Stripe event, reporting an absent or ill-typed member
/// as a ``NormalizationError`` that names its JSON path.
struct OracleObjectReader {
    /// The object's members.
    let value: JSONValue
    /// Where the object sits in the event.
    let path: JSONPath

    /// Reads `value` at `path`, which must be an object.
    init(_ value: JSONValue, at path: JSONPath) throws(NormalizationError) {
        guard case .object = value else { throw Self.invalid(value, expected: "an object", at: path) }
        self.value = value
        self.path = path
    }

    /// The member `key`, `nil` when absent or `null`.
    private func member(_ key: String) -> JSONValue? {
        guard let member = self.value[key], member != .null else { return nil }
        return member
    }

    /// The string member `key`, which must be present and not empty.
    func string(_ key: String) throws(NormalizationError) -> String {
        guard let string = try self.optionalString(key) else { throw self.missing(key) }
        guard !string.isEmpty else { throw self.empty(key) }
        return string
    }

    /// The amount member `key` in minor units: an integer of at least 0.
    func amount(_ key: String) throws(NormalizationError) -> Int64 {
        let amount = try self.integer(key)
        guard amount >= 0 else {
            throw NormalizationError(code: .invalidField, reason: "a negative amount", path: self.path.appending(key))
        }
        return amount
    }

    /// The currency member `key`, a three-letter ISO code; `nil` when absent or `null`.
    func optionalCurrency(_ key: String) throws(NormalizationError) -> String? {
        guard let currency = try self.optionalString(key) else { return nil }
        guard currency.utf8.count == 3, currency.utf8.allSatisfy({ (0x41...0x5A).contains($0 & 0xDF) }) else {
            throw NormalizationError(
                code: .invalidField,
                reason: "expected a three-letter currency code",
                path: self.path.appending(key)
            )
        }
        return currency
    }

    /// The currency member `key`, which must be present.
    func currency(_ key: String) throws(NormalizationError) -> String {
        guard let currency = try self.optionalCurrency(key) else { throw self.missing(key) }
        return currency
    }

    /// The string member `key`, `nil` when absent or `null`.
    func optionalString(_ key: String) throws(NormalizationError) -> String? {
        guard let member = self.member(key) else { return nil }
        guard case .string(let string) = member else {
            throw Self.invalid(member, expected: "a string", at: self.path.appending(key))
        }
        return string
    }

    /// The integer member `key`, which must be present; `19.0` counts as the integer 19.
    func integer(_ key: String) throws(NormalizationError) -> Int64 {
        guard let member = self.member(key) else { throw self.missing(key) }
        switch member {
        case .integer(let integer):
            return integer
        case .number(let number) where number.rounded() == number && abs(number) < 9e15:
            return Int64(number)
        default:
            throw Self.invalid(member, expected: "an integer", at: self.path.appending(key))
        }
    }

    /// The boolean member `key`, `nil` when absent or `null`.
    func optionalBool(_ key: String) throws(NormalizationError) -> Bool? {
        guard let member = self.member(key) else { return nil }
        guard case .bool(let bool) = member else {
            throw Self.invalid(member, expected: "true or false", at: self.path.appending(key))
        }
        return bool
    }

    /// The object member `key`, which must be present.
    func object(_ key: String) throws(NormalizationError) -> OracleObjectReader {
        guard let object = try self.optionalObject(key) else { throw self.missing(key) }
        return object
    }

    /// The object member `key`, `nil` when absent or `null`.
    func optionalObject(_ key: String) throws(NormalizationError) -> OracleObjectReader? {
        guard let member = self.member(key) else { return nil }
        return try OracleObjectReader(member, at: self.path.appending(key))
    }

    /// The id in member `key`: a string id, or the `id` of an expanded object; `nil` when absent or `null`.
    func reference(_ key: String) throws(NormalizationError) -> String? {
        guard let member = self.member(key) else { return nil }
        switch member {
        case .string(let id):
            guard !id.isEmpty else { throw self.empty(key) }
            return id
        case .object: return try OracleObjectReader(member, at: self.path.appending(key)).string("id")
        default: throw Self.invalid(member, expected: "an id or an object", at: self.path.appending(key))
        }
    }

    /// The objects of the list member `key`: a list object (`{"data": [...]}`) or, as APIs before 2014-06-17
    /// sent it, a plain array; `nil` when absent or `null`.
    func list(_ key: String) throws(NormalizationError) -> [OracleObjectReader]? {
        guard let member = self.member(key) else { return nil }
        var elements: [JSONValue]
        var elementsPath = self.path.appending(key)
        switch member {
        case .array(let array):
            elements = array
        case .object:
            let list = try OracleObjectReader(member, at: elementsPath)
            guard let data = list.member("data") else { throw list.missing("data") }
            elementsPath = elementsPath.appending("data")
            guard case .array(let array) = data else {
                throw Self.invalid(data, expected: "an array", at: elementsPath)
            }
            elements = array
        default:
            throw Self.invalid(member, expected: "a list or an array", at: elementsPath)
        }
        var objects: [OracleObjectReader] = []
        for (index, element) in elements.enumerated() {
            objects.append(try OracleObjectReader(element, at: elementsPath.appending(index: index)))
        }
        return objects
    }

    /// The string value of `key` in the object member `metadata`; `nil` when either is absent.
    func metadataValue(_ key: String) throws(NormalizationError) -> String? {
        try self.optionalObject("metadata")?.optionalString(key)
    }

    private func empty(_ key: String) -> NormalizationError {
        NormalizationError(code: .invalidField, reason: "must not be empty", path: self.path.appending(key))
    }

    /// The error for a member `key` that is absent or `null`.
    func missing(_ key: String) -> NormalizationError {
        NormalizationError(
            code: .missingField,
            reason: "required field is missing or null",
            path: self.path.appending(key)
        )
    }

    private static func invalid(_ value: JSONValue, expected: String, at path: JSONPath) -> NormalizationError {
        NormalizationError(
            code: .invalidField,
            reason: "expected \(expected), found \(value.kindDescription)",
            path: path
        )
    }
}
