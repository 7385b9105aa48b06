import Foundation
import HookgateStore
import HookgateTestSupport
import Testing

/// The dashboard's Commands pages in a real browser against a real `serve`, over commands appended beside it
/// through the real store API (``CommandsFixture``, received two days after now: never due for its worker).
@Suite(.onItsOwnThread, .timeLimit(.minutes(5)))
struct DashboardCommandsBrowserTests {
    @Test func anOperatorListsOpensAndRetriesCommands() async throws {
        let gateway = try DashboardGateway()
        let day = (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        let store = try gateway.openStore()
        do {
            try await CommandsFixture.seed(store, t0: Date(timeIntervalSince1970: day + 2 * 86_400))
        } catch {
            await store.close()
            throw error
        }
        await store.close()

        let browser = try HeadlessChromium()
        defer { browser.stop() }
        let page = try BrowserPage(in: browser)
        let tests = DashboardBrowserTests()
        try page.navigate("\(gateway.origin)/?token=\(DashboardGateway.token)")
        try page.waitUntil("the overview", "document.querySelector('.state-card')")

        // The navigation leads to the list: every command, newest first, the hostile order id as text.
        try page.click("nav.tabs a[data-route=commands]")
        try page.waitUntil("the commands", "document.querySelectorAll('table.commands tbody tr').length === 4")
        #expect(try page.text("nav.tabs a[aria-current=page]") == "Commands")
        #expect(try page.texts("table.commands td[data-label=Id] a") == ["4", "3", "2", "1"])
        #expect(try page.texts("table.commands td[data-label=Order]").first == CommandsFixture.hostileOrder)
        #expect(
            try page.texts("table.commands td[data-label=Amount]") == ["42 eur", "the rest", "500 usd", "1,999 eur"]
        )
        #expect(
            try page.texts("table.commands td[data-label='CloudEvent id'] code")
                == CommandsFixture.commandIDs.reversed()
        )
        try tests.screenshots(of: page, "commands")

        // The state filter lists the dead one only.
        try page.evaluate(
            """
            document.getElementById('filter-state').value = 'dead';
            document.querySelector('form.filters').requestSubmit();
            """
        )
        try page.waitUntil(
            "the dead command",
            "location.hash === '#/commands?state=dead' && document.querySelectorAll('table.commands tbody tr').length === 1"
        )
        #expect(try page.texts("table.commands td[data-label=State]") == ["dead"])

        // Its page: the request's form, the attempt with Stripe's answer as text, and Retry after a confirmation.
        try page.click("table.commands td[data-label=Id] a")
        try page.waitUntil("command 2", "location.hash === '#/commands/2' && document.querySelector('ol.timeline')")
        #expect(try page.text("h1") == "Command 2")
        #expect(try page.texts("ol.timeline .attempt-head strong") == ["Attempt 1"])
        #expect(try page.text("ol.timeline .badge") == "402")
        #expect(try page.text("ol.timeline pre.response")?.contains(#""code": "card_declined""#) == true)
        #expect(
            try page.evaluate("document.querySelector('main').textContent.includes('Request-Id req_2')") as? Bool
                == true
        )
        #expect(try page.texts("dl.facts dt").contains("metadata[order_id]"))
        try tests.screenshots(of: page, "command-dead")
        try page.evaluate("document.querySelector('ol.timeline').scrollIntoView()")
        try tests.screenshots(of: page, "command-dead-attempts")
        let mark = page.eventMark
        try page.click("#retry")
        #expect(try page.acceptDialog(after: mark).hasPrefix("Retry command 2? "))
        try page.waitUntil(
            "the retry's answer",
            "document.getElementById('notice').textContent === 'Command 2 re-queued: the gateway sends it again.'"
        )
        #expect(try page.evaluate("document.getElementById('retry') === null") as? Bool == true)

        // The hostile command: its order id is text wherever it is shown, and its replayed answer is marked.
        try page.evaluate("location.hash = '#/commands/4'")
        try page.waitUntil("command 4", "location.hash === '#/commands/4' && document.querySelector('ol.timeline')")
        #expect(
            try page.evaluate(
                "[...document.querySelectorAll('dl.facts dd')].filter((dd) => dd.textContent === \(BrowserPage.literal(CommandsFixture.hostileOrder))).length"
            ) as? Int == 2
        )
        #expect(
            try page.evaluate("document.querySelectorAll('main img, main script, main iframe').length") as? Int == 0
        )
        #expect(try page.texts("ol.timeline .badge").contains("replayed"))
        try tests.screenshots(of: page, "command-hostile")

        #expect(page.uncaughtExceptions == [])
        #expect(try page.cspViolations() == [])
        #expect(try page.evaluate("typeof window.\(DashboardBrowserTests.marker)") as? String == "undefined")
    }
}
