/// Typed access to the members of one JSON object of a Stripe event, read from the event's ``JSONIndex``,
/// reporting an absent or ill-typed member as a ``NormalizationError`` that names its JSON path.
struct StripeObjectReader {
    /// The event.
    let document: JSONIndex
    /// The object's entry in ``document``.
    let node: Int
    /// Where the object sits in the event.
    let path: JSONPath

    /// Reads the value at entry `node` of `document`, at `path`, which must be an object.
    init(_ document: JSONIndex, node: Int, at path: JSONPath) throws(NormalizationError) {
        guard document.kind(node) == .object else {
            throw Self.invalid(node, of: document, expected: "an object", at: path)
        }
        self.document = document
        self.node = node
        self.path = path
    }

    /// The object as a ``JSONValue``.
    var value: JSONValue { self.document.value(self.node) }

    /// The entry of the member `key`, `nil` when absent or `null`.
    private func member(_ key: String) -> Int? {
        guard let member = self.document.member(key, of: self.node), self.document.kind(member) != .null else {
            return nil
        }
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
        guard self.document.kind(member) == .string else {
            throw self.invalid(member, expected: "a string", at: key)
        }
        return self.document.string(member)
    }

    /// The integer member `key`, which must be present; `19.0` counts as the integer 19.
    func integer(_ key: String) throws(NormalizationError) -> Int64 {
        guard let member = self.member(key) else { throw self.missing(key) }
        switch self.document.kind(member) {
        case .integer:
            return self.document.integer(member)
        case .number:
            let number = self.document.number(member)
            if number.rounded() == number, abs(number) < 9e15 { return Int64(number) }
        default:
            break
        }
        throw self.invalid(member, expected: "an integer", at: key)
    }

    /// The boolean member `key`, `nil` when absent or `null`.
    func optionalBool(_ key: String) throws(NormalizationError) -> Bool? {
        guard let member = self.member(key) else { return nil }
        switch self.document.kind(member) {
        case .true: return true
        case .false: return false
        default: throw self.invalid(member, expected: "true or false", at: key)
        }
    }

    /// The object member `key`, which must be present.
    func object(_ key: String) throws(NormalizationError) -> StripeObjectReader {
        guard let object = try self.optionalObject(key) else { throw self.missing(key) }
        return object
    }

    /// The object member `key`, `nil` when absent or `null`.
    func optionalObject(_ key: String) throws(NormalizationError) -> StripeObjectReader? {
        guard let member = self.member(key) else { return nil }
        return try StripeObjectReader(self.document, node: member, at: self.path.appending(key))
    }

    /// The id in member `key`: a string id, or the `id` of an expanded object; `nil` when absent or `null`.
    func reference(_ key: String) throws(NormalizationError) -> String? {
        guard let member = self.member(key) else { return nil }
        switch self.document.kind(member) {
        case .string:
            let id = self.document.string(member)
            guard !id.isEmpty else { throw self.empty(key) }
            return id
        case .object:
            return try StripeObjectReader(self.document, node: member, at: self.path.appending(key)).string("id")
        default:
            throw self.invalid(member, expected: "an id or an object", at: key)
        }
    }

    /// The objects of the list member `key`: a list object (`{"data": [...]}`) or, as APIs before 2014-06-17
    /// sent it, a plain array; `nil` when absent or `null`.
    func list(_ key: String) throws(NormalizationError) -> [StripeObjectReader]? {
        guard let member = self.member(key) else { return nil }
        var array = member
        var elementsPath = self.path.appending(key)
        switch self.document.kind(member) {
        case .array:
            break
        case .object:
            let list = try StripeObjectReader(self.document, node: member, at: elementsPath)
            guard let data = list.member("data") else { throw list.missing("data") }
            elementsPath = elementsPath.appending("data")
            guard self.document.kind(data) == .array else {
                throw Self.invalid(data, of: self.document, expected: "an array", at: elementsPath)
            }
            array = data
        default:
            throw self.invalid(member, expected: "a list or an array", at: key)
        }
        var objects: [StripeObjectReader] = []
        for (index, element) in self.document.elements(of: array).enumerated() {
            objects.append(
                try StripeObjectReader(self.document, node: element, at: elementsPath.appending(index: index))
            )
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

    /// The error for the member `key` at entry `member`, which is not what was `expected`.
    private func invalid(_ member: Int, expected: String, at key: String) -> NormalizationError {
        Self.invalid(member, of: self.document, expected: expected, at: self.path.appending(key))
    }

    /// The error for the value at entry `node` of `document`, at `path`, which is not what was `expected`.
    private static func invalid(
        _ node: Int,
        of document: JSONIndex,
        expected: String,
        at path: JSONPath
    ) -> NormalizationError {
        NormalizationError(
            code: .invalidField,
            reason: "expected \(expected), found \(document.kindDescription(node))",
            path: path
        )
    }
}
