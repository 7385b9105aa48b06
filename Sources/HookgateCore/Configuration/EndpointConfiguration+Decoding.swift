extension EndpointConfiguration {
    static let keys = [
        "name", "path", "scheme", "secrets", "tolerance", "mode", "allowed_sources", "max_body_bytes", "forward",
        "forward_unmapped", "order_id_metadata_key", "mapping",
    ]

    /// Decodes one element of `endpoints`; `nil` when it is not an object or lacks a required key.
    static func decode(_ value: JSONValue, at path: JSONPath, reader: inout ConfigurationReader) -> Self? {
        guard let fields = reader.fields(of: value, at: path, keys: Self.keys) else { return nil }
        let required = ["name", "path", "scheme", "secrets"].filter { reader.require($0, in: fields) }
        let name = reader.parsed(
            "name",
            in: fields,
            problem: "expected 1 to 64 letters, digits, '.', '_' or '-'",
            Self.parseName
        )
        let endpointPath = reader.parsed(
            "path",
            in: fields,
            problem: "expected a path starting with '/', of printable ASCII without spaces, '?' or '#'",
            Self.parsePath
        )
        let scheme = reader.parsed(
            "scheme",
            in: fields,
            problem: "unknown scheme (known: \(SignatureSchemes.all.map(\.name).joined(separator: ", ")))"
        ) { SignatureSchemes.named($0)?.name }
        let secrets = reader.array("secrets", in: fields)?.compactMap {
            SecretConfiguration.decode($0.value, at: $0.path, reader: &reader)
        }
        let tolerance = fields.values["tolerance"].map {
            Self.decodeTolerance($0, at: fields.path("tolerance"), reader: &reader)
        }
        let expectedMode: ExpectedMode? = reader.choice("mode", in: fields)
        let allowedSources = reader.array("allowed_sources", in: fields)?.compactMap { element in
            reader.parsed(
                element.value,
                at: element.path,
                problem: "expected an IPv4 or IPv6 address or CIDR range, e.g. 203.0.113.0/24"
            ) { AddressRange($0) }
        }
        let maximumBodyBytes = reader.integer("max_body_bytes", in: fields, range: 1...GatewayLimits.largestBodyLimit)
        let forwardMode: ForwardMode? = reader.choice("forward", in: fields)
        let forwardUnmapped = reader.bool("forward_unmapped", in: fields)
        let orderIdMetadataKey = reader.string("order_id_metadata_key", in: fields)
        let mappingOverrides = fields.values["mapping"].map {
            Self.decodeMapping($0, at: fields.path("mapping"), reader: &reader)
        }
        guard required.count == 4, let name, let endpointPath, let scheme, let secrets else { return nil }
        return EndpointConfiguration(
            name: name,
            path: endpointPath,
            scheme: scheme,
            secrets: secrets,
            tolerance: tolerance ?? .standard,
            expectedMode: expectedMode ?? .any,
            allowedSources: allowedSources ?? [],
            maximumBodyBytes: maximumBodyBytes,
            forwardMode: forwardMode ?? .normalized,
            forwardUnmapped: forwardUnmapped ?? false,
            orderIdMetadataKey: orderIdMetadataKey ?? NormalizationOptions.defaultOrderIdMetadataKey,
            mappingOverrides: mappingOverrides ?? [:]
        )
    }

    /// `{"<stripe type>": "<catalog type>" | "skip", ...}`.
    private static func decodeMapping(
        _ value: JSONValue,
        at path: JSONPath,
        reader: inout ConfigurationReader
    ) -> [String: EventMapping.Target] {
        guard case .object(let members) = value else {
            reader.report(.wrongType, at: path, "expected an object, found \(value.kindDescription)")
            return [:]
        }
        let choices = (CatalogEventType.allCases.map(\.rawValue) + ["skip"]).map { "\"\($0)\"" }
        var overrides: [String: EventMapping.Target] = [:]
        for member in members {
            let memberPath = path.appending(member.key)
            guard Self.isStripeType(member.key) else {
                reader.report(.invalidValue, at: memberPath, "not a Stripe event type, e.g. charge.captured")
                continue
            }
            let target = reader.parsed(
                member.value,
                at: memberPath,
                problem: "unknown catalog type (expected one of \(choices.joined(separator: ", ")))"
            ) { EventMapping.Target(configurationValue: $0) }
            if let target { overrides[member.key] = target }
        }
        return overrides
    }

    /// Lowercase words of letters, digits and `_`, separated by dots, e.g. `charge.refund.updated`.
    private static func isStripeType(_ text: String) -> Bool {
        let words = text.split(separator: ".", omittingEmptySubsequences: false)
        return words.count >= 2 && text.utf8.count <= 128
            && words.allSatisfy { word in
                !word.isEmpty
                    && word.unicodeScalars.allSatisfy {
                        ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
                    }
            }
    }

    /// `{"past_seconds": 300, "future_seconds": 300}` (each defaults to 300) or `{"disabled": true}`.
    private static func decodeTolerance(
        _ value: JSONValue,
        at path: JSONPath,
        reader: inout ConfigurationReader
    ) -> TimestampTolerance {
        let keys = ["past_seconds", "future_seconds", "disabled"]
        guard let fields = reader.fields(of: value, at: path, keys: keys) else { return .standard }
        if let disabled = reader.bool("disabled", in: fields), disabled {
            for key in ["past_seconds", "future_seconds"] where fields.has(key) {
                reader.report(.invalidValue, at: fields.path(key), "not allowed with \"disabled\": true")
            }
            return .disabled
        }
        let past = reader.integer("past_seconds", in: fields, range: 0...86_400) ?? 300
        let future = reader.integer("future_seconds", in: fields, range: 0...86_400) ?? 300
        return TimestampTolerance(past: Int64(past), future: Int64(future))
    }

    private static func parseName(_ text: String) -> String? {
        let isValid =
            (1...64).contains(text.utf8.count)
            && text.unicodeScalars.allSatisfy { scalar in
                switch scalar {
                case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": true
                default: false
                }
            }
        return isValid ? text : nil
    }

    private static func parsePath(_ text: String) -> String? {
        let isValid =
            text.hasPrefix("/") && text.utf8.count <= 1_024
            && text.utf8.allSatisfy { (0x21..<0x7F).contains($0) && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        return isValid ? text : nil
    }
}
