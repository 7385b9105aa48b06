/// Parameters in Stripe's form encoding (`application/x-www-form-urlencoded`): `amount=2000`,
/// `metadata[order_id]=ord_1`, `expand[]=latest_charge` or `expand[0]=latest_charge`, `created[gte]=1700000000`.
///
/// The same parser reads a POST body and a GET query string.
public struct FormParameters: Sendable, Hashable {
    /// The most parameters one request may carry.
    public static let maximumCount = 1_000

    /// Every `name=value` pair, decoded, in the order sent.
    public let pairs: [Pair]

    /// One decoded `name=value` pair.
    public struct Pair: Sendable, Hashable {
        public let name: String
        public let value: String
    }

    /// Decodes `text`; `nil` when it holds more than ``maximumCount`` pairs or a malformed percent escape.
    public init?(decoding text: Substring) {
        var pairs: [Pair] = []
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            guard pairs.count < Self.maximumCount else { return nil }
            let equals = part.firstIndex(of: "=")
            let rawName = equals.map { part[..<$0] } ?? part
            let rawValue = equals.map { part[part.index(after: $0)...] } ?? ""
            guard let name = Self.percentDecoded(rawName), let value = Self.percentDecoded(rawValue) else { return nil }
            pairs.append(Pair(name: name, value: value))
        }
        self.pairs = pairs
    }

    /// The last value sent for exactly `name`.
    public func value(_ name: String) -> String? {
        self.pairs.last { $0.name == name }?.value
    }

    /// The values of a list: `name[]=a&name[]=b` or `name[0]=a&name[1]=b`, in the order sent.
    public func list(_ name: String) -> [String] {
        self.pairs.compactMap { pair in
            guard let key = Self.subscriptKey(of: pair.name, under: name) else { return nil }
            return key.isEmpty || key.allSatisfy(\.isNumber) ? pair.value : nil
        }
    }

    /// The members of a hash: `name[key]=value`, keys in the order first sent (a later value replaces).
    public func hash(_ name: String) -> [(key: String, value: String)] {
        var members: [(key: String, value: String)] = []
        for pair in self.pairs {
            guard let key = Self.subscriptKey(of: pair.name, under: name), !key.isEmpty, !key.allSatisfy(\.isNumber)
            else { continue }
            if let index = members.firstIndex(where: { $0.key == key }) {
                members[index].value = pair.value
            } else {
                members.append((key, pair.value))
            }
        }
        return members
    }

    /// The top-level names sent (`metadata` for `metadata[order_id]`), in the order first sent.
    public var topLevelNames: [String] {
        var names: [String] = []
        for pair in self.pairs {
            let name = String(pair.name.prefix { $0 != "[" })
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// The parameters in a canonical form (sorted pairs), to tell whether two requests sent the same ones.
    public var fingerprint: String {
        self.pairs.map { "\($0.name)=\($0.value)" }.sorted().joined(separator: "&")
    }

    /// `key` for `name[key]` (possibly empty, for `name[]`); `nil` when `fullName` is not a subscript of `name`.
    private static func subscriptKey(of fullName: String, under name: String) -> String? {
        guard fullName.hasPrefix(name + "["), fullName.hasSuffix("]") else { return nil }
        let key = fullName.dropFirst(name.count + 1).dropLast()
        return key.contains("[") || key.contains("]") ? nil : String(key)
    }

    /// `+` as a space and `%XX` escapes decoded; `nil` for a malformed escape or bytes that are not UTF-8.
    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(Self.hexValue),
                    let low = iterator.next().flatMap(Self.hexValue)
                else { return nil }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
