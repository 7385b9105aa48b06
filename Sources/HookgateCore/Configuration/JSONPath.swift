/// Where a value sits in a JSON document, written like `$.endpoints[0].secrets[1].expires_at`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step from a container to a value inside it.
    public enum Component: Sendable, Hashable {
        /// An object member.
        case key(String)
        /// An array element, from 0.
        case index(Int)
    }

    /// The steps from the document's root.
    public var components: [Component]

    /// The whole document, `$`.
    public static let root = JSONPath(components: [])

    public init(components: [Component]) {
        self.components = components
    }

    /// The path of the member `key` of the object at this path.
    public func appending(_ key: String) -> JSONPath {
        JSONPath(components: self.components + [.key(key)])
    }

    /// The path of element `index` of the array at this path.
    public func appending(index: Int) -> JSONPath {
        JSONPath(components: self.components + [.index(index)])
    }

    /// `$`, then `.key` for plain keys, `["key"]` for others, `[index]` for elements.
    public var description: String {
        var text = "$"
        for component in self.components {
            switch component {
            case .key(let key):
                let isPlain = !key.isEmpty && key.unicodeScalars.allSatisfy(Self.isPlain)
                text += isPlain ? ".\(key)" : "[" + JSONValue.string(key).serialized() + "]"
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    private static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-": true
        default: false
        }
    }
}
