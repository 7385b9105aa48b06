public import HookgateCore

/// A JSON Schema (2020-12) validator for exactly the keywords the catalog schemas in `Config/schemas/` use:
/// `type` (a name or a list of names), `required`, `properties`, `additionalProperties: false`, `const`,
/// `enum`, `minLength`, `maxLength`, `minimum`, `maximum`, `pattern` (searched with Swift's `Regex`, which reads
/// the ECMA-262 subset the schemas use) and `format: date-time` (checked with ``UnixTime/parseRFC3339(_:)``).
/// Annotations (`$schema`, `$id`, `title`, `description`, `x-*`) are ignored; any other keyword is reported as
/// unsupported, so a schema cannot silently rely on a check this validator does not make.
public struct JSONSchemaValidator: Sendable {
    /// The schema, an object.
    public let schema: JSONValue

    public init(schema: JSONValue) {
        self.schema = schema
    }

    /// Every violation of `instance`, each as `path: problem`; empty when it is valid.
    public func violations(of instance: JSONValue) -> [String] {
        var found: [String] = []
        Self.check(instance, against: self.schema, at: "$", into: &found)
        return found
    }

    private static let annotations: Set<String> = ["$schema", "$id", "title", "description"]

    private static func check(
        _ instance: JSONValue,
        against schema: JSONValue,
        at path: String,
        into found: inout [String]
    ) {
        guard case .object(let keywords) = schema else {
            found.append("\(path): the schema is not an object")
            return
        }
        for keyword in keywords {
            switch keyword.key {
            case "type":
                let names: [JSONValue]
                if case .array(let list) = keyword.value { names = list } else { names = [keyword.value] }
                if !names.contains(where: { Self.has(instance, type: $0) }) {
                    found.append("\(path): \(instance.kindDescription) is not of type \(keyword.value.serialized())")
                }
            case "const":
                if instance != keyword.value { found.append("\(path): not the constant \(keyword.value.serialized())") }
            case "enum":
                guard case .array(let allowed) = keyword.value else { continue }
                if !allowed.contains(instance) { found.append("\(path): not one of \(keyword.value.serialized())") }
            case "minLength":
                if case .string(let text) = instance, case .integer(let minimum) = keyword.value,
                    text.unicodeScalars.count < minimum
                {
                    found.append("\(path): shorter than \(minimum)")
                }
            case "maxLength":
                if case .string(let text) = instance, case .integer(let maximum) = keyword.value,
                    text.unicodeScalars.count > maximum
                {
                    found.append("\(path): longer than \(maximum)")
                }
            case "maximum":
                if case .integer(let value) = instance, case .integer(let maximum) = keyword.value, value > maximum {
                    found.append("\(path): greater than \(maximum)")
                }
            case "pattern":
                guard case .string(let pattern) = keyword.value, let regex = try? Regex(pattern) else {
                    found.append("\(path): unusable pattern \(keyword.value.serialized())")
                    continue
                }
                if case .string(let text) = instance, !text.contains(regex) {
                    found.append("\(path): does not match \(pattern)")
                }
            case "minimum":
                if case .integer(let value) = instance, case .integer(let minimum) = keyword.value, value < minimum {
                    found.append("\(path): less than \(minimum)")
                }
            case "format":
                if keyword.value == .string("date-time"), case .string(let text) = instance,
                    UnixTime.parseRFC3339(text) == nil
                {
                    found.append("\(path): not an RFC 3339 date-time")
                }
            case "required":
                guard case .array(let names) = keyword.value, case .object = instance else { continue }
                for case .string(let name) in names where instance[name] == nil {
                    found.append("\(path): required member \(name) is missing")
                }
            case "properties":
                guard case .object(let properties) = keyword.value, case .object(let members) = instance else {
                    continue
                }
                for property in properties {
                    if let member = members.first(where: { $0.key == property.key }) {
                        Self.check(member.value, against: property.value, at: path + "." + property.key, into: &found)
                    }
                }
            case "additionalProperties":
                guard keyword.value == .bool(false), case .object(let members) = instance else {
                    if keyword.value != .bool(false) { found.append("\(path): unsupported additionalProperties") }
                    continue
                }
                let declared =
                    schema["properties"].flatMap { value -> [String]? in
                        guard case .object(let properties) = value else { return nil }
                        return properties.map(\.key)
                    } ?? []
                for member in members where !declared.contains(member.key) {
                    found.append("\(path): member \(member.key) is not allowed")
                }
            case let key where Self.annotations.contains(key) || key.hasPrefix("x-"):
                continue
            case let key:
                found.append("\(path): unsupported schema keyword \(key)")
            }
        }
    }

    private static func has(_ instance: JSONValue, type: JSONValue) -> Bool {
        switch (type, instance) {
        case (.string("null"), .null), (.string("boolean"), .bool), (.string("integer"), .integer),
            (.string("number"), .integer), (.string("number"), .number), (.string("string"), .string),
            (.string("array"), .array), (.string("object"), .object):
            true
        default: false
        }
    }
}
