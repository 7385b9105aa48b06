/// Reads the members of one object of a command (the CloudEvent, or its `data`), refusing a member of the
/// wrong type or value with its path and rule.
struct CommandMemberReader {
    /// The object read.
    let object: JSONValue
    /// Put before member names in refusals (`data.`).
    let prefix: String

    /// The string `name`, or nil when absent (or null, if `nullable`).
    /// - Throws: ``CommandRefusal`` with `rule` when it is present but not a string `isValid` accepts, or when
    ///   it holds U+0000: PostgreSQL keeps no NUL in text, and the command would fail the commit of every other
    ///   one group-committed with it.
    func string(
        _ name: String,
        _ rule: String,
        nullable: Bool = false,
        where isValid: (String) -> Bool
    ) throws(CommandRefusal) -> String? {
        switch self.object[name] {
        case nil: return nil
        case .null? where nullable: return nil
        case .string(let text)? where text.utf8.contains(0): throw .invalid(self.prefix + name, "no U+0000 (NUL)")
        case .string(let text)? where isValid(text): return text
        default: throw .invalid(self.prefix + name, rule)
        }
    }

    /// The integer `name` within `range`, or nil when absent (or null, if `nullable`).
    /// - Throws: ``CommandRefusal`` with `rule` when it is present but no such integer.
    func integer(
        _ name: String,
        _ rule: String,
        in range: ClosedRange<Int64>,
        nullable: Bool = false
    ) throws(CommandRefusal) -> Int64? {
        switch self.object[name] {
        case nil: return nil
        case .null? where nullable: return nil
        case .integer(let value)? where range.contains(value): return value
        default: throw .invalid(self.prefix + name, rule)
        }
    }

    /// The string `name`, which must be present.
    /// - Throws: ``CommandRefusal`` with `required, rule` when it is absent, `rule` when it is not accepted.
    func requiredString(
        _ name: String,
        _ rule: String,
        where isValid: (String) -> Bool
    ) throws(CommandRefusal) -> String {
        guard let text = try self.string(name, rule, where: isValid) else {
            throw .invalid(self.prefix + name, "required, " + rule)
        }
        return text
    }

    /// The integer `name` within `range`, which must be present.
    /// - Throws: ``CommandRefusal`` with `required, rule` when it is absent, `rule` when it is not accepted.
    func requiredInteger(_ name: String, _ rule: String, in range: ClosedRange<Int64>) throws(CommandRefusal) -> Int64 {
        guard let value = try self.integer(name, rule, in: range) else {
            throw .invalid(self.prefix + name, "required, " + rule)
        }
        return value
    }

    /// Refuses the first member whose name is not in `known`.
    func refuseUnknownMembers(of kind: String, known: [String]) throws(CommandRefusal) {
        guard case .object(let members) = self.object else { return }
        for member in members where !known.contains(member.key) {
            let printable = member.key.utf8.count <= 64 && member.key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
            throw .invalid(
                printable ? self.prefix + member.key : String(self.prefix.dropLast()),
                "not a member of \(kind) data (it has \(known.joined(separator: ", ")))"
            )
        }
    }
}
