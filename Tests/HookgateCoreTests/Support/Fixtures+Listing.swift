import Glibc

extension Fixtures {
    /// The `.json` files of `Tests/Fixtures/` and `Tests/Fixtures/stripe-events/`, e.g.
    /// `stripe-events/refund.updated.json`.
    static let jsonFiles: [String] = ["", "stripe-events/"].flatMap { folder in
        Self.fileNames(in: Self.directory + folder).filter { $0.hasSuffix(".json") }.map { folder + $0 }
    }.sorted()

    /// The Stripe events of `Tests/Fixtures/stripe-events/`, e.g. `stripe-events/refund.updated.json`.
    static let stripeEvents: [String] = Self.jsonFiles.filter {
        $0.hasPrefix("stripe-events/") && !$0.hasSuffix("MANIFEST.json")
    }

    private static func fileNames(in directory: String) -> [String] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            names.append(name)
        }
        return names
    }
}
