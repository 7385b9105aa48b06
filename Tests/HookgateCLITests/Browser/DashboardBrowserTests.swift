import Foundation
import HookgateStore
import HookgateTestSupport
import Testing

/// The dashboard in a real browser (headless Debian `chromium` over the DevTools protocol) against a real
/// `serve` with real deliveries to a real `hookgate sink`, through the token-guarded listener as an operator
/// reaches it: `/?token=` once, then the session cookie, and the CSRF token on every POST.
///
/// The screenshots of each page, at 1280×800 and at a 390×844 phone, go to
/// `$TMPDIR/hookgate-dashboard-screenshots` (printed; never in the checkout).
@Suite(.onItsOwnThread, .timeLimit(.minutes(5)))
struct DashboardBrowserTests {
    /// What the stored payloads would set if any of them ran.
    static let marker = "__hookgateXSS"

    /// A webhook whose event id, type, user agent and request id are markup and script; its type maps to no
    /// catalog event, so it is stored, shown and skipped.
    static let hostileEvent = [
        "payment_intent.succeeded",
        "--set", "id=evt_<script>window.\(marker)=1</script>",
        "--set", "type=<img src=x onerror=window.\(marker)=2>",
        "--header", "User-Agent: javascript:window.\(marker)=3//<svg onload=window.\(marker)=4>",
        "--header", "Request-Id: <iframe srcdoc='<script>parent.\(marker)=5</script>'>",
    ]

    /// A payment whose id (the catalog event's subject) is markup; forwarded.
    static let hostileSubject = [
        "payment_intent.succeeded", "--set", "data.object.id=pi_<img src=x onerror=window.\(marker)=6>",
    ]

    static let screenshots = FileManager.default.temporaryDirectory
        .appendingPathComponent("hookgate-dashboard-screenshots")

    /// Takes the page's screenshots at both sizes, named `<name>-1280x800.png` and `<name>-390x844.png`, and
    /// returns to the wide size.
    func screenshots(of page: BrowserPage, _ name: String) throws {
        try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)
        for (width, height) in [(390, 844), (1280, 800)] {
            try page.screenshot(
                width: width,
                height: height,
                to: Self.screenshots.appendingPathComponent("\(name)-\(width)x\(height).png")
            )
        }
    }

    @Test func anOperatorSeesFiltersOpensAndReplaysDeliveries() async throws {
        let gateway = try DashboardGateway()
        // The payment system refuses the first three payments (400): they are dead letters.
        let refusing = try gateway.startSink(["--status", "400"])
        for n in 1...3 {
            #expect(try gateway.send(["payment_intent.succeeded", "--payment-id", "pi_dead\(n)"]).status == 0)
        }
        #expect(try gateway.send(Self.hostileEvent).status == 0)
        let store = try gateway.openStore()
        let dead = try await store.waitUntilAll(4) { $0.state.isFinal }
        _ = try refusing.stop()
        let sink = try gateway.startSink()
        #expect(try gateway.send(["payment_intent.succeeded"]).status == 0)
        #expect(try gateway.send(Self.hostileSubject).status == 0)
        let all = try await store.waitUntilAll(6) { $0.state.isFinal }
        await store.close()
        #expect(all.filter { $0.state == .dead }.count == 3)
        #expect(all.filter { $0.state == .delivered }.count == 2)
        #expect(try sink.waitForLines(2).count == 2)
        let deadIDs = dead.filter { $0.state == .dead }.map(\.id.rawValue).sorted()

        let browser = try HeadlessChromium()
        defer { browser.stop() }
        let page = try BrowserPage(in: browser)
        print("dashboard screenshots: \(Self.screenshots.path)")

        // The first visit exchanges the token for the session cookie and lands on the overview.
        try page.navigate("\(gateway.origin)/?token=\(DashboardGateway.token)")
        #expect(try page.evaluate("location.href") as? String == "\(gateway.origin)/")
        try page.waitUntil(
            "the overview's counts",
            "document.querySelector('.state-card[data-state=dead] .card-count')"
        )
        #expect(try page.text(".state-card[data-state=dead] .card-count") == "3")
        #expect(try page.text(".state-card[data-state=delivered] .card-count") == "2")
        #expect(try page.text(".state-card[data-state=skipped] .card-count") == "1")
        #expect(try page.text("#received-total") == "received 6")
        #expect(try page.text("#upstream-status") == "up")
        try self.screenshots(of: page, "overview")

        // Filtering the list to dead lists exactly the dead deliveries.
        try page.evaluate("location.hash = '#/deliveries'")
        try page.waitUntil("the list", "document.querySelectorAll('table.deliveries tbody tr').length === 6")
        try page.evaluate(
            """
            document.getElementById('filter-state').value = 'dead';
            document.querySelector('form.filters').requestSubmit();
            """
        )
        try page.waitUntil(
            "the dead deliveries",
            "location.hash === '#/deliveries?state=dead' && document.querySelectorAll('table.deliveries tbody tr').length === 3"
        )
        #expect(try page.texts("table.deliveries td[data-label=State]") == ["dead", "dead", "dead"])
        let listed = try page.texts("table.deliveries td[data-label=Id] a").compactMap { Int64($0) }
        #expect(listed == deadIDs.reversed())
        try self.screenshots(of: page, "deliveries-dead")

        // Opening one shows its attempts: the payment system's 400.
        let opened = deadIDs[0]
        try page.click("table.deliveries a[href='#/deliveries/\(opened)']")
        try page.waitUntil("delivery \(opened)", "document.querySelectorAll('.timeline .attempt').length === 1")
        #expect(try page.text(".attempt .badge") == "400")
        #expect(try page.text(".attempt .error-text") == "upstream status 400")
        try page.waitUntil("the body", "document.querySelector('pre.body').textContent.startsWith('{\\n  \"')")
        try page.click("#verify")
        try page.waitUntil("the verification", "document.querySelector('.verify h2')")
        #expect(try page.text(".verify h2") == "Valid signature")
        try self.screenshots(of: page, "delivery")

        // Replaying it from the dead letters page (after a confirmation that says how many) delivers it.
        try page.evaluate("location.hash = '#/dead'")
        try page.waitUntil("the dead letters", "document.querySelectorAll('table.dead tbody tr').length === 3")
        try self.screenshots(of: page, "dead-letters")
        let mark = page.eventMark
        try page.click(".replay-one[data-id='\(opened)']")
        #expect(try page.acceptDialog(after: mark) == "Replay 1 dead delivery (\(opened))?")
        try page.waitUntil("the replay's answer", "document.getElementById('notice').textContent.includes('re-queued')")
        #expect(try page.text("#notice") == "1 delivery re-queued.")
        let lines = try sink.waitForLines(3)
        let eventID = try #require(dead.first { $0.id.rawValue == opened }?.received.eventID)
        #expect(lines.last?.contains(eventID) == true)
        try page.waitUntil(
            "the dead letters without it",
            "document.querySelectorAll('table.dead tbody tr').length === 2"
        )

        // Selecting all on the page: the confirmation names both.
        try page.click("#select-all")
        try page.waitUntil(
            "the selection",
            "document.getElementById('replay-selected').textContent === 'Replay selected (2)'"
        )
        let selectionMark = page.eventMark
        try page.click("#replay-selected")
        let question = try page.acceptDialog(after: selectionMark)
        #expect(question.hasPrefix("Replay 2 selected dead deliveries ("))
        try page.waitUntil(
            "the replay of both",
            "document.getElementById('notice').textContent === '2 deliveries re-queued.'"
        )
        #expect(try sink.waitForLines(5).count == 5)

        try page.evaluate("location.hash = '#/endpoints'")
        try page.waitUntil("the endpoints", "document.querySelector('section.endpoint h2')")
        #expect(try page.text("section.endpoint h2") == "stripe")
        #expect(try page.texts("table.keys td[data-label='Key label']") == ["current"])
        try self.screenshots(of: page, "endpoints")

        #expect(page.uncaughtExceptions == [])
        #expect(try page.cspViolations() == [])
        #expect(!gateway.gateway.stdout.contains(DashboardGateway.token))
        _ = try sink.stop()
    }

    @Test func storedMarkupAndScriptAreShownAsTextAndNothingRuns() async throws {
        let gateway = try DashboardGateway()
        let sink = try gateway.startSink()
        #expect(try gateway.send(Self.hostileEvent).status == 0)
        #expect(try gateway.send(Self.hostileSubject).status == 0)
        let store = try gateway.openStore()
        let records = try await store.waitUntilAll(2) { $0.state.isFinal }
        await store.close()
        let hostile = try #require(records.first { $0.state == .skipped })

        let browser = try HeadlessChromium()
        defer { browser.stop() }
        let page = try BrowserPage(in: browser)
        try page.navigate("\(gateway.origin)/?token=\(DashboardGateway.token)")
        try page.evaluate("location.hash = '#/deliveries'")
        try page.waitUntil("the list", "document.querySelectorAll('table.deliveries tbody tr').length === 2")
        #expect(
            try page.texts("table.deliveries td[data-label=Type] .type").contains(
                "<img src=x onerror=window.\(Self.marker)=2>"
            )
        )
        try self.screenshots(of: page, "hostile-list")

        try page.evaluate("location.hash = '#/deliveries/\(hostile.id.rawValue)'")
        try page.waitUntil(
            "the hostile delivery",
            "document.querySelector('pre.body') && document.querySelector('.facts')"
        )
        let text = try #require(try page.evaluate("document.querySelector('main').textContent") as? String)
        for payload in [
            "evt_<script>window.\(Self.marker)=1</script>", "<img src=x onerror=window.\(Self.marker)=2>",
            "javascript:window.\(Self.marker)=3//<svg onload=window.\(Self.marker)=4>",
            "<iframe srcdoc='<script>parent.\(Self.marker)=5</script>'>",
        ] {
            #expect(text.contains(payload), "\(payload) is not shown as text")
        }
        try self.screenshots(of: page, "hostile-delivery")
        let subject = try #require(records.first { $0.state == .delivered })
        try page.evaluate("location.hash = '#/deliveries/\(subject.id.rawValue)'")
        try page.waitUntil("the hostile subject", "document.querySelector('.facts')")
        #expect(
            try page.evaluate("document.querySelector('main').textContent.includes('pi_<img src=x onerror=')") as? Bool
                == true
        )

        // Nothing ran, and nothing even tried (the policy would have reported a blocked inline script or
        // handler); no element came from the stored values, and no link leads to a stored string.
        #expect(try page.evaluate("typeof window.\(Self.marker)") as? String == "undefined")
        #expect(try page.cspViolations() == [])
        #expect(
            try page.evaluate("document.querySelectorAll('main script, main img, main iframe, main svg').length")
                as? Int == 0
        )
        let links =
            try page.evaluate("[...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))")
            as? [String] ?? []
        #expect(links.allSatisfy { $0.hasPrefix("#") || $0.hasPrefix("/deliveries/") })
        #expect(page.uncaughtExceptions == [])
        _ = try sink.stop()
    }

    @Test func aRequestWithoutTheTokenGets401AndAPostWithoutTheCSRFToken403() throws {
        let gateway = try DashboardGateway()
        let browser = try HeadlessChromium()
        defer { browser.stop() }
        let page = try BrowserPage(in: browser)

        // No token, a wrong one: 401, and the answer does not hold the token.
        try page.navigate("\(gateway.origin)/")
        #expect(try page.evaluate("document.body.innerText.includes('\"error\":\"unauthorized\"')") as? Bool == true)
        try page.navigate("\(gateway.origin)/?token=wrong-\(DashboardGateway.token)")
        #expect(try page.evaluate("document.body.innerText.includes('unauthorized')") as? Bool == true)
        #expect(try page.evaluate("document.body.innerText.includes('\(DashboardGateway.token)')") as? Bool == false)
        let status = "fetch(%@, {method: %@, headers: %@, body: %@}).then((r) => r.status)"
        func fetch(_ path: String, post body: String? = nil, headers: String = "{}") throws -> Int? {
            let expression = String(
                format: status,
                BrowserPage.literal(path),
                BrowserPage.literal(body == nil ? "GET" : "POST"),
                headers,
                body.map(BrowserPage.literal) ?? "undefined"
            )
            return try page.evaluate(expression) as? Int
        }
        #expect(try fetch("/deliveries") == 401)
        #expect(try fetch("/replay", post: #"{"ids":[1]}"#) == 401)

        // With the session: reads pass; a POST without the CSRF token (or with another) is refused 403, and with
        // it (as the page sends it) passes.
        try page.navigate("\(gateway.origin)/?token=\(DashboardGateway.token)")
        try page.waitUntil("the overview", "document.querySelector('.state-card')")
        #expect(try fetch("/deliveries") == 200)
        #expect(try fetch("/replay", post: #"{"ids":[1]}"#, headers: "{'content-type': 'application/json'}") == 403)
        #expect(try fetch("/replay", post: #"{"ids":[1]}"#, headers: "{'x-csrf-token': 'forged'}") == 403)
        let csrf = "document.cookie.split('; ').find((c) => c.startsWith('hookgate_csrf=')).slice(14)"
        #expect(try fetch("/replay", post: #"{"ids":[1]}"#, headers: "{'x-csrf-token': \(csrf)}") == 200)
        // The session cookie is out of the page's reach (HttpOnly); only the CSRF value is readable.
        #expect(try page.evaluate("document.cookie.includes('hookgate_session')") as? Bool == false)
        #expect(page.uncaughtExceptions == [])
    }
}
