import HookgateCore
import HookgateTestSupport
import Testing

/// The test-side schema validator rejects what it must, so that schema validation of normalized events cannot
/// pass vacuously.
@Suite("JSON Schema validator")
struct JSONSchemaValidatorTests {
    private static func event() throws -> JSONValue {
        let events = try StripeEventNormalizer.normalize(
            body: Fixtures.bytes("stripe-events/payment_intent.payment_failed.json"),
            options: NormalizationOptions()
        )
        guard case .forward(let forwarded) = events else { throw Failure() }
        return try JSONValueParser.parse(forwarded[0].body)
    }

    private struct Failure: Error {}

    private static func setting(_ path: [String], to value: JSONValue?, in document: JSONValue) -> JSONValue {
        guard let key = path.first, case .object(var members) = document else { return value ?? .null }
        if path.count == 1 {
            members.removeAll { $0.key == key }
            if let value { members.append(JSONValue.Member(key: key, value: value)) }
            return .object(members)
        }
        return .object(
            members.map {
                $0.key == key
                    ? JSONValue.Member(key: key, value: self.setting(Array(path.dropFirst()), to: value, in: $0.value))
                    : $0
            }
        )
    }

    @Test func aNormalizedEventIsValid() throws {
        #expect(CatalogSchemas.validator(for: .paymentFailed).violations(of: try Self.event()) == [])
    }

    @Test(
        arguments: [
            (["data", "amount"], nil, "required member amount is missing"),
            (["id"], nil, "required member id is missing"),
            (["data", "extra"], .string("x"), "member extra is not allowed"),
            (["extension"], .string("x"), "member extension is not allowed"),
            (["data", "amount"], .string("100"), "is not of type"),
            (["data", "amount"], .number(1.5), "is not of type"),
            (["data", "amount"], .integer(-1), "less than 0"),
            (["data", "paymentId"], .null, "is not of type"),
            (["data", "declineCode"], .integer(3), "is not of type"),
            (["data", "livemode"], .string("false"), "is not of type"),
            (["specversion"], .string("0.3"), "not the constant"),
            (["type"], .string("payment-succeeded"), "not the constant"),
            (["time"], .string("2018-11-07 18:21"), "not an RFC 3339 date-time"),
            (["subject"], .string(""), "shorter than 1"),
            (["data"], .array([]), "is not of type"),
        ] as [([String], JSONValue?, String)]
    )
    func invalidDocumentsAreRejected(path: [String], value: JSONValue?, problem: String) throws {
        let broken = Self.setting(path, to: value, in: try Self.event())
        let violations = CatalogSchemas.validator(for: .paymentFailed).violations(of: broken)
        #expect(violations.count == 1)
        #expect(violations.first?.contains(problem) == true, "\(violations)")
    }

    @Test func nullableMembersAcceptNull() throws {
        let document = Self.setting(["data", "failureMessage"], to: .null, in: try Self.event())
        #expect(CatalogSchemas.validator(for: .paymentFailed).violations(of: document) == [])
    }

    @Test func unsupportedKeywordsAreReported() throws {
        let schema = try JSONValueParser.parse(#"{"type": "string", "contentEncoding": "base64"}"#)
        #expect(
            JSONSchemaValidator(schema: schema).violations(of: .string("a")) == [
                "$: unsupported schema keyword contentEncoding"
            ]
        )
    }

    /// The keywords of the command schemas: `pattern` (searched, as JSON Schema does), `maxLength` in code
    /// points, `maximum`.
    @Test func patternMaxLengthAndMaximum() throws {
        let text = JSONSchemaValidator(schema: try JSONValueParser.parse(#"{"pattern": "^[a-z]{3}$", "maxLength": 3}"#))
        #expect(text.violations(of: .string("usd")) == [])
        #expect(text.violations(of: .string("USD")) == ["$: does not match ^[a-z]{3}$"])
        #expect(text.violations(of: .string("usdx")).count == 2)
        #expect(
            JSONSchemaValidator(schema: try JSONValueParser.parse(#"{"maxLength": 1}"#)).violations(of: .string("é"))
                == []
        )
        let number = JSONSchemaValidator(schema: try JSONValueParser.parse(#"{"maximum": 10}"#))
        #expect(number.violations(of: .integer(10)) == [])
        #expect(number.violations(of: .integer(11)) == ["$: greater than 10"])
    }

    @Test func enumAndTypeLists() throws {
        let schema = try JSONValueParser.parse(#"{"type": ["string", "null"], "enum": ["a", null]}"#)
        let validator = JSONSchemaValidator(schema: schema)
        #expect(validator.violations(of: .string("a")) == [])
        #expect(validator.violations(of: .null) == [])
        #expect(validator.violations(of: .string("b")).count == 1)
        #expect(validator.violations(of: .integer(1)).count == 2)
    }

    @Test(arguments: CatalogEventType.allCases)
    func schemaFilesCarryIdVersionAndOwner(type: CatalogEventType) throws {
        let schema = CatalogSchemas.validator(for: type).schema
        #expect(schema["$id"] == .string(NormalizationOptions().dataschema(for: type)))
        #expect(schema["x-version"] == .string("1.0.0"))
        #expect(schema["x-owner"] == .string("payments-platform"))
        #expect(schema["properties"]?["data"]?["additionalProperties"] == .bool(false))
    }

    @Test(arguments: CommandKind.allCases)
    func commandSchemaFilesCarryIdVersionAndOwner(kind: CommandKind) throws {
        let schema = CatalogSchemas.validator(for: kind).schema
        #expect(schema["$id"] == .string(kind.schemaID))
        #expect(schema["properties"]?["dataschema"]?["const"] == .string(kind.schemaID))
        #expect(schema["properties"]?["type"]?["const"] == .string(kind.rawValue))
        #expect(schema["x-version"] == .string("1.0.0"))
        #expect(schema["x-owner"] == .string("payments-platform"))
        #expect(schema["properties"]?["data"]?["additionalProperties"] == .bool(false))
        #expect(schema["additionalProperties"] == nil, "CloudEvent extension attributes are allowed")
    }
}
