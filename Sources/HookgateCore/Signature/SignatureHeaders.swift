/// The request headers a signature scheme reads, looked up by case-insensitive name.
///
/// Holds only the few headers a scheme names in ``SignatureScheme/headerNames``, so building one per request
/// is cheap.
public struct SignatureHeaders: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// The headers in the order given, names lowercased.
    public private(set) var fields: [(name: String, value: String)] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { self.add(name: name, value: value) }
    }

    /// Adds a header. A second header of the same name does not replace the first.
    public mutating func add(name: String, value: String) {
        self.fields.append((name.lowercased(), value))
    }

    /// The first value of the header `name` (case-insensitive), if present.
    public subscript(name: String) -> String? {
        for field in self.fields where field.name.utf8.count == name.utf8.count {
            if field.name == name || field.name == name.lowercased() { return field.value }
        }
        return nil
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for field in self.fields {
            hasher.combine(field.name)
            hasher.combine(field.value)
        }
    }
}
