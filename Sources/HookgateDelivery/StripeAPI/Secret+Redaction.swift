import HookgateCore

extension Secret {
    /// `text` with every occurrence of the secret replaced by `<redacted>`.
    func redacted(in text: String) -> String {
        self.value.isEmpty ? text : text.replacing(self.value, with: "<redacted>")
    }
}
