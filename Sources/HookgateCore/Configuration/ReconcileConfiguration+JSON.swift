extension ReconcileConfiguration {
    /// `reconcile` as `check-config` prints it: `{"interval": "15m"}`, or `{}` when off.
    var json: JSONValue {
        guard let seconds = self.intervalSeconds else { return .object([]) }
        let interval =
            seconds % 86_400 == 0
            ? "\(seconds / 86_400)d"
            : seconds % 3_600 == 0 ? "\(seconds / 3_600)h" : seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds)s"
        return .object([JSONValue.Member(key: "interval", value: .string(interval))])
    }
}
