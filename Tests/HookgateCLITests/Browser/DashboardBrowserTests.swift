import Foundation
import Glibc
import HookgateCore
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
        // The payment system refuses the first four payments (400): they are dead letters.
        let refusing = try gateway.startSink(["--status", "400"])
        for n in 1...4 {
            #expect(try gateway.send(["payment_intent.succeeded", "--payment-id", "pi_dead\(n)"]).status == 0)
        }
        #expect(try gateway.send(Self.hostileEvent).status == 0)
        let store = try gateway.openStore()
        let refused = try await store.waitUntilAll(5, timeout: 60) { $0.state.isFinal }
        _ = try refusing.stop()
        // Then it takes them: 52 more are delivered, more than the list's page of 50.
        let sink = try gateway.startSink()
        #expect(try gateway.send(Self.hostileSubject).status == 0)
        #expect(try gateway.send(["payment_intent.succeeded", "--count", "51", "--concurrency", "4"]).status == 0)
        let all = try await store.waitUntilAll(57, timeout: 60) { $0.state.isFinal }
        await store.close()
        #expect(try sink.waitForLines(52, timeout: 30).count == 52)
        let dead = refused.filter { $0.state == .dead }
        #expect(dead.count == 4 && all.filter { $0.state == .delivered }.count == 52)
        let deadIDs = dead.map(\.id.rawValue).sorted()

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
        #expect(try page.text(".state-card[data-state=dead] .card-count") == "4")
        #expect(try page.text(".state-card[data-state=delivered] .card-count") == "52")
        #expect(try page.text(".state-card[data-state=skipped] .card-count") == "1")
        #expect(try page.text("#received-total") == "received 57")
        #expect(try page.text("#upstream-status") == "up")
        try self.screenshots(of: page, "overview")

        // The list pages newest first through the API's cursor, each id whole, none twice, none left out.
        try page.evaluate("location.hash = '#/deliveries'")
        try page.waitUntil("the first page", "document.querySelectorAll('table.deliveries tbody tr').length === 50")
        var shownIDs = try page.texts("table.deliveries td[data-label=Id] a")
        var shownEvents = try page.texts("table.deliveries td[data-label='Event id'] code")
        try self.screenshots(of: page, "deliveries")
        #expect(shownIDs.first == String(all.map(\.id.rawValue).max() ?? 0))
        try page.click("a[rel=next]")
        try page.waitUntil("the second page", "document.querySelectorAll('table.deliveries tbody tr').length === 7")
        shownIDs += try page.texts("table.deliveries td[data-label=Id] a")
        shownEvents += try page.texts("table.deliveries td[data-label='Event id'] code")
        #expect(try page.evaluate("document.querySelector('a[rel=next]') === null") as? Bool == true)
        #expect(shownIDs.compactMap(Int64.init).sorted() == all.map(\.id.rawValue).sorted())
        #expect(Set(shownEvents) == Set(all.map(\.received.eventID)))

        // Filtering to dead lists exactly the dead deliveries.
        try page.evaluate(
            """
            document.getElementById('filter-state').value = 'dead';
            document.querySelector('form.filters').requestSubmit();
            """
        )
        try page.waitUntil(
            "the dead deliveries",
            "location.hash === '#/deliveries?state=dead' && document.querySelectorAll('table.deliveries tbody tr').length === 4"
        )
        #expect(try page.texts("table.deliveries td[data-label=State]") == Array(repeating: "dead", count: 4))
        #expect(try page.texts("table.deliveries td[data-label=Id] a").compactMap { Int64($0) } == deadIDs.reversed())
        try self.screenshots(of: page, "deliveries-dead")

        // Opening one shows its attempts (the payment system's 400), its body and the check of its signature.
        let opened = deadIDs[0]
        try page.click("table.deliveries a[href='#/deliveries/\(opened)']")
        try page.waitUntil("delivery \(opened)", "document.querySelectorAll('.timeline .attempt').length === 1")
        #expect(try page.text(".attempt .badge") == "400")
        #expect(try page.text(".attempt .error-text") == "upstream status 400")
        try page.waitUntil("the body", "document.querySelector('pre.body').textContent.startsWith('{\\n  \"id\": ')")
        let downloaded = try page.evaluate(
            """
            fetch(document.querySelector('a[download]').getAttribute('href'))
              .then((answer) => answer.arrayBuffer())
              .then((bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))))
            """
        )
        let body = try #require(dead.first { $0.id.rawValue == opened }?.received.body)
        #expect((downloaded as? String).flatMap { Data(base64Encoded: $0) } == body)
        try page.click("#verify")
        try page.waitUntil("the verification", "document.querySelector('.verify h2')")
        #expect(try page.text(".verify h2") == "Valid signature")
        try self.screenshots(of: page, "delivery")

        // Dead letters: replay one, then a selection, then all that match a filter, each after a confirmation
        // that says how many; the sink receives every one.
        try page.evaluate("location.hash = '#/dead'")
        try page.waitUntil("the dead letters", "document.querySelectorAll('table.dead tbody tr').length === 4")
        try self.screenshots(of: page, "dead-letters")
        var mark = page.eventMark
        try page.click(".replay-one[data-id='\(opened)']")
        #expect(try page.acceptDialog(after: mark) == "Replay 1 dead delivery (\(opened))?")
        try page.waitUntil(
            "the replay's answer",
            "document.getElementById('notice').textContent === '1 delivery re-queued.'"
        )
        let eventID = try #require(dead.first { $0.id.rawValue == opened }?.received.eventID)
        #expect(try sink.waitForLines(53, timeout: 30).last?.contains(eventID) == true)
        try page.waitUntil(
            "the dead letters without it",
            "document.querySelectorAll('table.dead tbody tr').length === 3"
        )
        try self.screenshots(of: page, "dead-letters-replayed")

        for id in deadIDs[1...2] { try page.click(".select-row[data-id='\(id)']") }
        try page.waitUntil(
            "the selection",
            "document.getElementById('replay-selected').textContent === 'Replay selected (2)'"
        )
        mark = page.eventMark
        try page.click("#replay-selected")
        let selection = try page.acceptDialog(after: mark)
        #expect(selection.hasPrefix("Replay 2 selected dead deliveries (") && selection.contains(String(deadIDs[2])))
        try page.waitUntil(
            "the selection's answer",
            "document.getElementById('notice').textContent === '2 deliveries re-queued.'"
        )
        try page.waitUntil("the last dead letter", "document.querySelectorAll('table.dead tbody tr').length === 1")

        try page.evaluate("location.hash = '#/dead?endpoint=stripe'")
        try page.waitUntil("the filtered dead letters", "document.querySelectorAll('table.dead tbody tr').length === 1")
        mark = page.eventMark
        try page.click("#replay-all")
        #expect(try page.acceptDialog(after: mark) == "Replay all 1 dead delivery matching the filter?")
        try page.waitUntil(
            "no dead letter left",
            "document.querySelector('.empty')?.textContent === 'No dead delivery matches.'"
        )
        #expect(try page.text("#notice") == "1 delivery re-queued.")
        #expect(try sink.waitForLines(56, timeout: 30).count == 56)

        // The overview follows by itself.
        try page.evaluate("location.hash = '#/'")
        try page.waitUntil(
            "all delivered",
            "document.querySelector('.state-card[data-state=delivered] .card-count')?.textContent === '56'"
        )
        #expect(try gateway.send(["payment_intent.succeeded"]).status == 0)
        try page.waitUntil(
            "the refreshed count",
            "document.querySelector('.state-card[data-state=delivered] .card-count').textContent === '57'"
        )

        // An error of the API is said on the page.
        try page.evaluate("location.hash = '#/deliveries?since=bogus'")
        try page.waitUntil(
            "the error",
            "document.getElementById('notice').textContent.startsWith('The gateway answered 400 (invalid_filter): since ')"
        )

        try page.evaluate("location.hash = '#/endpoints'")
        try page.waitUntil("the endpoints", "document.querySelector('section.endpoint h2')")
        #expect(try page.text("section.endpoint h2") == "stripe")
        #expect(try page.texts("table.keys td[data-label='Key label']") == ["current"])
        #expect(try page.texts("table.recent td[data-label='Key label']") == ["current"])
        try self.screenshots(of: page, "endpoints")

        #expect(page.uncaughtExceptions == [])
        #expect(try page.cspViolations() == [])
        #expect(try page.evaluate("typeof window.\(Self.marker)") as? String == "undefined")
        #expect(!gateway.gateway.stdout.contains(DashboardGateway.token))
        #expect(!gateway.gateway.stderr.contains(DashboardGateway.token))
        _ = try sink.stop()
    }

    @Test func storedMarkupAndScriptAreShownAsTextAndNothingRuns() async throws {
        let gateway = try DashboardGateway()
        let sink = try gateway.startSink()
        #expect(try gateway.send(Self.hostileEvent).status == 0)
        #expect(try gateway.send(Self.hostileSubject).status == 0)
        let store = try gateway.openStore()
        let records = try await store.waitUntilAll(2, timeout: 60) { $0.state.isFinal }
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
        try page.waitUntil(
            "the hostile subject as text",
            "document.querySelector('main').textContent.includes('pi_<img src=x onerror=window.\(Self.marker)=6>')"
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

        // The watcher and the policy are live: markup parsed on purpose is blocked, and reported.
        try page.evaluate(
            "document.body.appendChild(document.createRange().createContextualFragment('<img src=x onerror=window.__probe=1>'))"
        )
        try page.waitUntil("the probe's report", "window.__cspViolations.length === 1")
        #expect(try page.evaluate("typeof window.__probe") as? String == "undefined")
        _ = try sink.stop()
    }

    @Test func verifyNowExplainsAnExpiredKeyAndEndpointsShowTheRotation() async throws {
        let gateway = try DashboardGateway()
        let sink = try gateway.startSink()
        #expect(try gateway.send(["payment_intent.succeeded"]).status == 0)
        let store = try gateway.openStore()
        let delivered = try #require(try await store.waitUntilAll(1, timeout: 60) { $0.state.isFinal }.first)
        await store.close()

        // The key that signed it expired an hour ago and "next" took over; SIGHUP puts that in force.
        let expired = Int64(Date().timeIntervalSince1970) - 3600
        let rotated = KeyRotationConfiguration.text(expired: expired)
        try Data(rotated.utf8).write(to: URL(fileURLWithPath: gateway.configPath))
        gateway.gateway.send(SIGHUP)
        let deadline = Date().addingTimeInterval(20)
        func endpoints() throws -> String {
            let bearer = "Authorization: Bearer \(DashboardGateway.token)"
            return try runTool("curl", ["-s", "-H", bearer, "\(gateway.origin)/endpoints"]).stdout
        }
        while try !endpoints().contains(#""label":"next""#), Date() < deadline { usleep(50_000) }

        let browser = try HeadlessChromium()
        defer { browser.stop() }
        let page = try BrowserPage(in: browser)
        try page.navigate("\(gateway.origin)/?token=\(DashboardGateway.token)")
        try page.evaluate("location.hash = '#/endpoints'")
        try page.waitUntil("both keys", "document.querySelectorAll('table.keys tbody tr').length === 2")
        #expect(try page.texts("table.keys td[data-label='Key label']") == ["current", "next"])
        #expect(try page.texts("table.keys td[data-label='Verifies now']") == ["no", "yes"])
        #expect(
            try page.texts("table.keys td[data-label=Expires]").first
                == UnixTime.rfc3339(expired).replacingOccurrences(of: "T", with: " ")
        )
        #expect(try page.texts("table.recent td[data-label='Key label']") == ["current"])
        try self.screenshots(of: page, "endpoints-rotated")

        try page.evaluate("location.hash = '#/deliveries/\(delivered.id.rawValue)'")
        try page.waitUntil("the delivery", "document.getElementById('verify')")
        try page.click("#verify")
        try page.waitUntil("the verification", "document.querySelector('.verify h2')")
        #expect(try page.text(".verify h2") == "Invalid signature")
        #expect(try page.texts(".verify dd").first == "secret_expired")
        #expect(try page.texts(".verify .findings li").first?.hasPrefix("secret_expired (confirmed): ") == true)
        try self.screenshots(of: page, "delivery-verify-invalid")
        #expect(try page.evaluate("document.body.textContent.includes('whsec_')") as? Bool == false)
        #expect(page.uncaughtExceptions == [])
        _ = try sink.stop()
    }

    @Test func throughHookgateDashboardsProxyWithItsOneTimeURL() async throws {
        let gateway = try DashboardGateway()
        let refusing = try gateway.startSink(["--status", "400"])
        #expect(try gateway.send(["payment_intent.succeeded"]).status == 0)
        let store = try gateway.openStore()
        let dead = try #require(try await store.waitUntilAll(1, timeout: 60) { $0.state == .dead }.first)
        await store.close()
        _ = try refusing.stop()
        let sink = try gateway.startSink()

        // The proxy to the admin socket prints its one-time URL (no desktop here: nothing is opened).
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DISPLAY")
        environment.removeValue(forKey: "WAYLAND_DISPLAY")
        let dashboard = try ChildProcess(
            executable: HookgateProcess.executable,
            arguments: ["dashboard", "--no-open", "--admin-socket", gateway.adminSocketPath],
            environment: environment,
            directory: gateway.directory.url
        )
        let deadline = Date().addingTimeInterval(20)
        while !dashboard.stdout.contains("\n"), dashboard.isRunning, Date() < deadline { usleep(20_000) }
        let url = dashboard.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(url.wholeMatch(of: /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/) != nil, "\(dashboard.stderr)")

        let browser = try HeadlessChromium()
        defer { browser.stop() }
        let page = try BrowserPage(in: browser)
        try page.navigate(url)
        try page.waitUntil("the overview", "document.querySelector('.state-card[data-state=dead] .card-count')")
        #expect(try page.text(".state-card[data-state=dead] .card-count") == "1")
        try self.screenshots(of: page, "proxy-overview")

        // A replay through the proxy: the page's CSRF token and origin pass it, and the sink receives the event.
        try page.evaluate("location.hash = '#/dead'")
        try page.waitUntil("the dead letter", "document.querySelectorAll('table.dead tbody tr').length === 1")
        let mark = page.eventMark
        try page.click(".replay-one[data-id='\(dead.id.rawValue)']")
        #expect(try page.acceptDialog(after: mark) == "Replay 1 dead delivery (\(dead.id.rawValue))?")
        try page.waitUntil(
            "the replay's answer",
            "document.getElementById('notice').textContent === '1 delivery re-queued.'"
        )
        #expect(try sink.waitForLines(1, timeout: 30).first?.contains(dead.received.eventID) == true)

        // The URL works once: opened again in the same browser it leads to the page (the session lets it in);
        // without the session it is refused.
        let origin = String(url.prefix { $0 != "?" })
        try page.navigate(url)
        #expect(try page.evaluate("location.href") as? String == origin)
        try page.clearCookies()
        try page.navigate(url)
        #expect(try page.evaluate("document.body.innerText.includes('\"error\":\"unauthorized\"')") as? Bool == true)
        #expect(page.uncaughtExceptions == [])
        dashboard.send(SIGTERM)
        #expect(try dashboard.waitForExit() == 0)
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

        // A session that is gone: the page says how to get in again.
        try page.clearCookies()
        try page.evaluate("location.hash = '#/deliveries'")
        try page.waitUntil(
            "the page's answer to 401",
            "document.getElementById('notice').textContent.startsWith('Not signed in (401): ')"
        )
        try self.screenshots(of: page, "signed-out")
        #expect(page.uncaughtExceptions == [])
    }
}
