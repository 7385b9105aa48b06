import Foundation
import HookgateStore
import HookgateTestSupport
import Testing

/// The dashboard's delivery page in a real browser says where a delivery came from: `reconciled` in the Request
/// panel for an event `hookgate reconcile` stored, `webhook` for a signed request.
@Suite(.onItsOwnThread, .timeLimit(.minutes(5)))
struct DashboardReconciledBrowserTests {
    /// The origin row of the Request panel of delivery `id`.
    private func origin(of id: DeliveryID, on page: BrowserPage) throws -> String? {
        try page.evaluate("location.hash = '#/deliveries/\(id.rawValue)'")
        try page.waitUntil(
            "delivery \(id)",
            "location.hash === '#/deliveries/\(id.rawValue)' && document.querySelector('pre.body') !== null"
        )
        return try page.evaluate(
            """
            [...document.querySelectorAll('dl.facts dt')].find((dt) => dt.textContent === 'origin')
              ?.nextElementSibling.textContent ?? null
            """
        ) as? String
    }

    /// A reconciled delivery appended beside the running gateway, and a webhook sent to it.
    @Test func theRequestPanelShowsTheOrigin() async throws {
        let gateway = try DashboardGateway()
        #expect(try gateway.send(["payment_intent.succeeded", "--payment-id", "pi_webhook"]).status == 0)
        let store = try gateway.openStore()
        let webhook = try #require(try await store.waitUntilAll(1, timeout: 60) { _ in true }.first)
        let appended = try await store.append(
            NewDelivery(
                endpoint: "stripe",
                eventID: "evt_reconciledInTheBrowser",
                eventType: "customer.created",
                eventCreated: Date(timeIntervalSince1970: 1_764_900_000),
                receivedAt: Date(timeIntervalSince1970: 1_764_900_060),
                body: Data(#"{"id":"evt_reconciledInTheBrowser","object":"event","type":"customer.created"}"#.utf8),
                headers: DeliveryHeaders(contentType: "application/json"),
                origin: .reconciled
            )
        )
        await store.close()
        guard case .stored(let reconciled) = appended else {
            Issue.record("not stored: \(appended)")
            return
        }

        let browser = try HeadlessChromium()
        defer { browser.stop() }
        let page = try BrowserPage(in: browser)
        try page.navigate("\(gateway.origin)/?token=\(DashboardGateway.token)")
        #expect(
            try self.origin(of: reconciled, on: page)
                == "reconciled (from Stripe's Events API, not signed)"
        )
        #expect(try self.origin(of: webhook.id, on: page) == "webhook")
    }
}
