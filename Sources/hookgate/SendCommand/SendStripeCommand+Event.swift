import HookgateCore

extension SendStripeCommand {
    /// The CloudEvent of `kind` from the options; an option of the other type is a usage error.
    func event(kind: CommandKind, orderID: String, id: String) throws(UsageError) -> CommandEvent {
        let paymentOptions: [(String, Any?)] = [
            ("--currency", self.currency), ("--payment-method", self.paymentMethod), ("--customer", self.customer),
            ("--description", self.description),
        ]
        let refundOptions: [(String, Any?)] = [("--payment", self.payment), ("--reason", self.reason)]
        let foreign = (kind == .paymentRequested ? refundOptions : paymentOptions).filter { $0.1 != nil }.map(\.0)
        guard foreign.isEmpty else {
            throw UsageError("\(foreign.joined(separator: ", ")) does not apply to \(kind.rawValue)")
        }
        var data: [(key: String, value: JSONValue)] = []
        switch kind {
        case .paymentRequested:
            guard let amount = self.amount, let currency = self.currency, let paymentMethod = self.paymentMethod else {
                throw UsageError("payment-requested needs --amount, --currency and --payment-method")
            }
            data = [
                ("amount", .integer(amount)), ("currency", .string(currency)),
                ("paymentMethodId", .string(paymentMethod)),
            ]
            if let customer { data.append(("customerId", .string(customer))) }
            if let description { data.append(("description", .string(description))) }
        case .refundRequested:
            guard let payment else { throw UsageError("refund-requested needs --payment") }
            data = [("paymentId", .string(payment))]
            if let amount { data.append(("amount", .integer(amount))) }
            if let reason { data.append(("reason", .string(reason))) }
        }
        return CommandEvent(id: id, kind: kind, source: self.source, orderID: orderID, data: data)
    }
}
