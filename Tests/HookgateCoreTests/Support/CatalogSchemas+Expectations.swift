import HookgateCore
import HookgateTestSupport
import Testing

extension CatalogSchemas {
    /// Records a test issue for every way `event` breaks the schema of its type (there must be one).
    static func expectValid(_ event: NormalizedEvent, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let document = try? JSONValueParser.parse(event.body) else {
            Issue.record("the body of \(event.id) is not JSON", sourceLocation: sourceLocation)
            return
        }
        let violations = self.violations(of: document)
        #expect(violations == [], "\(event.id) breaks the \(event.type) schema", sourceLocation: sourceLocation)
    }
}
