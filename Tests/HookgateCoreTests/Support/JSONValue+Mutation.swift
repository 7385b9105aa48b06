import HookgateCore

/// One step from a container into a value, for building mutated documents.
enum JSONStep: Hashable {
    case key(String)
    case index(Int)
}

extension JSONValue {
    /// The paths of every value under this one, down to `depth` steps (array elements included).
    func paths(depth: Int, prefix: [JSONStep] = []) -> [[JSONStep]] {
        guard depth > 0 else { return [] }
        let children: [(JSONStep, JSONValue)]
        switch self {
        case .object(let members): children = members.map { (.key($0.key), $0.value) }
        case .array(let elements): children = elements.enumerated().map { (.index($0.offset), $0.element) }
        default: return []
        }
        return children.flatMap { step, child in
            [prefix + [step]] + child.paths(depth: depth - 1, prefix: prefix + [step])
        }
    }

    /// This value with the value at `path` replaced by `replacement`, or removed when it is `nil`.
    func replacing(_ path: ArraySlice<JSONStep>, with replacement: JSONValue?) -> JSONValue {
        guard let step = path.first else { return replacement ?? .null }
        let rest = path.dropFirst()
        switch (self, step) {
        case (.object(let members), .key(let key)):
            return .object(
                members.compactMap { member in
                    guard member.key == key else { return member }
                    if rest.isEmpty, replacement == nil { return nil }
                    return JSONValue.Member(key: key, value: member.value.replacing(rest, with: replacement))
                }
            )
        case (.array(var elements), .index(let index)) where elements.indices.contains(index):
            if rest.isEmpty, replacement == nil {
                elements.remove(at: index)
            } else {
                elements[index] = elements[index].replacing(rest, with: replacement)
            }
            return .array(elements)
        default:
            return self
        }
    }
}
