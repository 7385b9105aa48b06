/// Reads a ``JSONValue`` document for strict decoding: every unknown key, wrong type and bad value becomes a
/// ``ConfigurationIssue`` naming its path, and reading goes on so that every problem is found in one pass.
///
/// Getters return `nil` both when a key is absent and when its value was bad (the issue is recorded), so a
/// decoder can fall back to the default and keep going; the result is only used when no issue was recorded.
struct ConfigurationReader {
    /// The members of one object and where it is.
    struct Fields {
        let path: JSONPath
        let values: [String: JSONValue]

        /// The path of member `key`.
        func path(_ key: String) -> JSONPath { self.path.appending(key) }

        /// Whether member `key` is present.
        func has(_ key: String) -> Bool { self.values[key] != nil }
    }

    /// Every problem found so far.
    private(set) var issues: [ConfigurationIssue] = []

    /// Records a problem.
    mutating func report(_ code: ConfigurationIssue.Code, at path: JSONPath, _ reason: String) {
        self.issues.append(ConfigurationIssue(code: code, path: path, reason: reason))
    }

    /// The members of the object `value`, reporting each key not in `keys`; `nil` when it is not an object.
    mutating func fields(of value: JSONValue, at path: JSONPath, keys: [String]) -> Fields? {
        guard case .object(let members) = value else {
            self.reportWrongType(value, expected: "an object", at: path)
            return nil
        }
        var values: [String: JSONValue] = [:]
        for member in members {
            guard keys.contains(member.key) else {
                let suggestion =
                    SpellingSuggestion.closest(to: member.key, among: keys).map { "did you mean \"\($0)\"? " } ?? ""
                self.report(
                    .unknownKey,
                    at: path.appending(member.key),
                    "unknown key (\(suggestion)expected one of: \(keys.joined(separator: ", ")))"
                )
                continue
            }
            values[member.key] = member.value
        }
        return Fields(path: path, values: values)
    }

    /// The member `key` of the object `key` in `fields`, read with ``fields(of:at:keys:)``.
    mutating func object(_ key: String, in fields: Fields, keys: [String]) -> Fields? {
        guard let value = fields.values[key] else { return nil }
        return self.fields(of: value, at: fields.path(key), keys: keys)
    }

    /// Reports `key` as missing when it is absent from `fields`; returns whether it is present.
    mutating func require(_ key: String, in fields: Fields) -> Bool {
        guard fields.has(key) else {
            self.report(.missingKey, at: fields.path(key), "required key is missing")
            return false
        }
        return true
    }

    /// The string `value`, or `nil` (reported) for another type.
    mutating func string(_ value: JSONValue, at path: JSONPath) -> String? {
        guard case .string(let string) = value else {
            self.reportWrongType(value, expected: "a string", at: path)
            return nil
        }
        return string
    }

    /// The string member `key`; empty strings are reported.
    mutating func string(_ key: String, in fields: Fields) -> String? {
        guard let value = fields.values[key], let string = self.string(value, at: fields.path(key)) else { return nil }
        guard !string.isEmpty else {
            self.report(.invalidValue, at: fields.path(key), "must not be empty")
            return nil
        }
        return string
    }

    /// The boolean member `key`.
    mutating func bool(_ key: String, in fields: Fields) -> Bool? {
        guard let value = fields.values[key] else { return nil }
        guard case .bool(let bool) = value else {
            self.reportWrongType(value, expected: "true or false", at: fields.path(key))
            return nil
        }
        return bool
    }

    /// The integer member `key`, which must lie in `range`.
    mutating func integer(_ key: String, in fields: Fields, range: ClosedRange<Int>) -> Int? {
        guard let value = fields.values[key] else { return nil }
        let path = fields.path(key)
        switch value {
        case .integer(let integer) where Int64(range.lowerBound) <= integer && integer <= Int64(range.upperBound):
            return Int(integer)
        case .integer:
            self.report(.invalidValue, at: path, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        case .number:
            self.report(.wrongType, at: path, "expected an integer, found a number with a fraction or exponent")
        default:
            self.reportWrongType(value, expected: "an integer", at: path)
        }
        return nil
    }

    /// The elements of the array member `key`, each with its path.
    mutating func array(_ key: String, in fields: Fields) -> [(value: JSONValue, path: JSONPath)]? {
        guard let value = fields.values[key] else { return nil }
        guard case .array(let elements) = value else {
            self.reportWrongType(value, expected: "an array", at: fields.path(key))
            return nil
        }
        return elements.enumerated().map { ($0.element, fields.path(key).appending(index: $0.offset)) }
    }

    /// The member `key` as one of the raw values of `Value`.
    mutating func choice<Value: RawRepresentable & CaseIterable>(
        _ key: String,
        in fields: Fields,
        as type: Value.Type = Value.self
    ) -> Value? where Value.RawValue == String {
        guard let value = fields.values[key], let string = self.string(value, at: fields.path(key)) else { return nil }
        guard let choice = Value(rawValue: string) else {
            let names = Value.allCases.map(\.rawValue)
            let choices = names.map { "\"\($0)\"" }.joined(separator: ", ")
            let suggestion = SpellingSuggestion.closest(to: string, among: names).map { " (did you mean \"\($0)\"?)" }
            self.report(.invalidValue, at: fields.path(key), "must be one of \(choices)\(suggestion ?? "")")
            return nil
        }
        return choice
    }

    /// The string `value` converted by `parse`; when it returns `nil`, reports `problem`.
    mutating func parsed<Value>(
        _ value: JSONValue,
        at path: JSONPath,
        problem: String,
        _ parse: (String) -> Value?
    ) -> Value? {
        guard let string = self.string(value, at: path) else { return nil }
        guard let parsed = parse(string) else {
            self.report(.invalidValue, at: path, problem)
            return nil
        }
        return parsed
    }

    /// The string member `key` converted by `parse`; when it returns `nil`, reports `problem`.
    mutating func parsed<Value>(
        _ key: String,
        in fields: Fields,
        problem: String,
        _ parse: (String) -> Value?
    ) -> Value? {
        guard let value = fields.values[key] else { return nil }
        return self.parsed(value, at: fields.path(key), problem: problem, parse)
    }

    private mutating func reportWrongType(_ value: JSONValue, expected: String, at path: JSONPath) {
        self.report(.wrongType, at: path, "expected \(expected), found \(value.kindDescription)")
    }
}
