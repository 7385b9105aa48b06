import Glibc
import HookgateCore
import Testing

/// The catalog's JSON Schemas in `Config/schemas/`, and the check that a normalized event matches its own.
enum CatalogSchemas {
    /// `Config/schemas/`, found from this source file's path.
    static let directory: String = {
        var path = #filePath
        for _ in 0..<4 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/Config/schemas/"
    }()

    /// The validator of `type`'s schema file.
    static func validator(for type: CatalogEventType) -> JSONSchemaValidator {
        let bytes = readFile(directory + type.rawValue + ".schema.json")
        return JSONSchemaValidator(schema: try! JSONValueParser.parse(bytes))
    }

    /// Records a test issue for every way `event` breaks the schema of its type (there must be one).
    static func expectValid(_ event: NormalizedEvent, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let type = CatalogEventType(rawValue: event.type) else {
            Issue.record("\(event.type) is no catalog type", sourceLocation: sourceLocation)
            return
        }
        guard let document = try? JSONValueParser.parse(event.body) else {
            Issue.record("the body of \(event.id) is not JSON", sourceLocation: sourceLocation)
            return
        }
        let violations = self.validator(for: type).violations(of: document)
        #expect(violations == [], "\(event.id) breaks the \(type.rawValue) schema", sourceLocation: sourceLocation)
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
