/// An answer saved under an idempotency key is written to the state file: status, headers as
/// `[name, value]` pairs, body.
extension APIResponse: Codable {
    private enum CodingKeys: String, CodingKey {
        case status, headers, body
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let pairs = try container.decode([[String]].self, forKey: .headers)
        self.init(
            status: try container.decode(Int.self, forKey: .status),
            headers: pairs.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil },
            body: try container.decode([UInt8].self, forKey: .body)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.status, forKey: .status)
        try container.encode(self.headers.map { [$0.name, $0.value] }, forKey: .headers)
        try container.encode(self.body, forKey: .body)
    }
}
