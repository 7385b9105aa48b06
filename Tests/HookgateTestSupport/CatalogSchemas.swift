import Glibc
public import HookgateCore

/// The catalog's JSON Schemas in `Config/schemas/`, for the tests of every target.
public enum CatalogSchemas {
    /// `Config/schemas/`, found from this source file's path.
    public static let directory: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/Config/schemas/"
    }()

    /// The validator of `type`'s schema file.
    public static func validator(for type: CatalogEventType) -> JSONSchemaValidator {
        self.validator(named: type.rawValue)
    }

    /// The validator of a command's schema file (`payment-requested`, `refund-requested`).
    public static func validator(for kind: CommandKind) -> JSONSchemaValidator {
        self.validator(named: kind.rawValue)
    }

    /// The schema parsed from `<name>.schema.json`.
    public static func schema(named name: String) -> JSONValue {
        try! JSONValueParser.parse(readFile(directory + name + ".schema.json"))
    }

    private static func validator(named name: String) -> JSONSchemaValidator {
        JSONSchemaValidator(schema: self.schema(named: name))
    }

    /// Every way the CloudEvent `event` breaks the schema of its `type`; one violation when that is no
    /// catalog type.
    public static func violations(of event: JSONValue) -> [String] {
        guard case .string(let name) = event["type"], let type = CatalogEventType(rawValue: name) else {
            return ["$.type: \(event["type"]?.serialized() ?? "(missing)") is no catalog type"]
        }
        return self.validator(for: type).violations(of: event)
    }

    private static func readFile(_ path: String) -> [UInt8] {
        guard let file = fopen(path, "rb") else { fatalError("missing schema \(path)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count == 0 { return bytes }
            bytes += buffer[..<count]
        }
    }
}
