extension EventTemplates {
    /// The Refund object in the templates' API version (shape of the 2026-07-29 fixture).
    static func refund(status: String) -> String {
        """
        {
          "id": "{{re}}",
          "object": "refund",
          "amount": 2000,
          "balance_transaction": \(status == "succeeded" ? #""{{txn}}""# : "null"),
          "charge": "{{ch}}",
          "created": {{created}},
          "currency": "usd",
          "customer": "{{cus}}",
          "customer_account": null,
          "destination_details": {
            "card": {
              "reference": "\(status == "succeeded" ? "7430218849012347" : "")",
              "reference_status": "\(status == "succeeded" ? "available" : "pending")",
              "reference_type": "acquirer_reference_number",
              "type": "refund"
            },
            "type": "card"
          },
          "metadata": {
            "order_id": "ord_1042"
          },
          "payment_intent": "{{pi}}",
          "payment_method": "{{pm}}",
          "reason": "requested_by_customer",
          "receipt_number": null,
          "source_transfer_reversal": null,
          "status": "\(status)",
          "transfer_reversal": null
        }
        """
    }

    static let refundCreated = EventTemplate(
        type: "refund.created",
        summary: "a card refund was created and succeeded at once (catalog: refund-processed)",
        text: envelope(type: "refund.created", object: refund(status: "succeeded"))
    )

    static let refundUpdated = EventTemplate(
        type: "refund.updated",
        summary: "a refund succeeded (catalog: refund-processed)",
        text: envelope(type: "refund.updated", object: refund(status: "succeeded"))
    )

    static let chargeRefundUpdated = EventTemplate(
        type: "charge.refund.updated",
        summary: "a refund of a charge changed (older name of refund.updated; catalog: refund-processed)",
        text: envelope(type: "charge.refund.updated", object: refund(status: "succeeded"))
    )
}
