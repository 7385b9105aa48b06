import Foundation
import Glibc

/// One tab of a ``HeadlessChromium``, with what the dashboard tests do in it: navigate, run an expression, wait
/// for the DOM to show something, click, answer a `confirm()`, take screenshots.
///
/// Before any document of the tab runs, a watcher records the Content-Security-Policy violations the page
/// reports (`window.__cspViolations`); exceptions thrown by the page's own script arrive as events.
final class BrowserPage: @unchecked Sendable {
    private let devTools: DevToolsConnection
    private let session: String

    /// Opens a tab on `about:blank` in `browser`.
    init(in browser: HeadlessChromium) throws {
        self.devTools = browser.devTools
        let target = try self.devTools.call("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"] as? String else {
            throw DevToolsConnection.Failure(description: "Target.createTarget gave no targetId: \(target)")
        }
        let attached = try self.devTools.call("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        guard let session = attached["sessionId"] as? String else {
            throw DevToolsConnection.Failure(description: "Target.attachToTarget gave no sessionId: \(attached)")
        }
        self.session = session
        try self.call("Page.enable")
        try self.call("Runtime.enable")
        try self.call(
            "Page.addScriptToEvaluateOnNewDocument",
            [
                "source": """
                window.__cspViolations = [];
                document.addEventListener('securitypolicyviolation', (event) => {
                  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI + ' ' + event.sample);
                });
                """
            ]
        )
    }

    @discardableResult
    private func call(_ method: String, _ parameters: [String: Any] = [:]) throws -> [String: Any] {
        try self.devTools.call(method, parameters, session: self.session)
    }

    /// Loads `url` and waits until the new document (after any redirect) has loaded.
    func navigate(_ url: String) throws {
        let mark = self.devTools.eventCount
        let result = try self.call("Page.navigate", ["url": url])
        if let error = result["errorText"] as? String, !error.isEmpty {
            throw DevToolsConnection.Failure(description: "navigating to \(url): \(error)")
        }
        _ = try self.devTools.waitForEvent("Page.loadEventFired", session: self.session, after: mark)
    }

    /// Evaluates `expression` in the page (awaiting a promise) and returns its value as JSON gives it.
    @discardableResult
    func evaluate(_ expression: String) throws -> Any? {
        let result = try self.call(
            "Runtime.evaluate",
            ["expression": expression, "returnByValue": true, "awaitPromise": true]
        )
        if let exception = result["exceptionDetails"] as? [String: Any] {
            let description = (exception["exception"] as? [String: Any])?["description"] ?? exception["text"] ?? ""
            throw DevToolsConnection.Failure(description: "\(expression): \(description)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Polls `expression` every 50 ms until it is true, at most `timeout` seconds; throws with the page's text
    /// when it never is.
    func waitUntil(_ what: String, _ expression: String, timeout: TimeInterval = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if (try? self.evaluate("Boolean(\(expression))")) as? Bool == true { return }
            guard Date() < deadline else {
                let text = (try? self.evaluate("document.body ? document.body.innerText : ''")) as? String ?? ""
                throw DevToolsConnection.Failure(
                    description: "not within \(timeout) s: \(what)\n--- the page shows:\n\(text.prefix(3000))"
                )
            }
            usleep(50_000)
        }
    }

    /// The text content of the first element matching `selector` (nil when there is none).
    func text(_ selector: String) throws -> String? {
        try self.evaluate("document.querySelector(\(Self.literal(selector)))?.textContent ?? null") as? String
    }

    /// The text content of every element matching `selector`.
    func texts(_ selector: String) throws -> [String] {
        try self.evaluate("[...document.querySelectorAll(\(Self.literal(selector)))].map((e) => e.textContent)")
            as? [String] ?? []
    }

    /// Clicks the first element matching `selector`, from a task of the page's own, so that a `confirm()` it
    /// opens does not block this call.
    func click(_ selector: String) throws {
        try self.evaluate(
            """
            (() => {
              const element = document.querySelector(\(Self.literal(selector)));
              if (!element) throw new Error('nothing matches ' + \(Self.literal(selector)));
              setTimeout(() => element.click(), 0);
              return true;
            })()
            """
        )
    }

    /// How many protocol events have arrived; pass it to ``acceptDialog(after:)``.
    var eventMark: Int { self.devTools.eventCount }

    /// Waits for a JavaScript dialog opened after `mark`, accepts it, and returns its message.
    func acceptDialog(after mark: Int) throws -> String {
        let dialog = try self.devTools.waitForEvent("Page.javascriptDialogOpening", session: self.session, after: mark)
        try self.call("Page.handleJavaScriptDialog", ["accept": true])
        return dialog["message"] as? String ?? ""
    }

    /// Forgets every cookie (the session's too, which the page itself cannot reach).
    func clearCookies() throws {
        try self.call("Network.clearBrowserCookies")
    }

    /// The exceptions the page's scripts threw and did not catch, as text.
    var uncaughtExceptions: [String] {
        self.devTools.events("Runtime.exceptionThrown", session: self.session).map { event in
            let details = event["exceptionDetails"] as? [String: Any] ?? [:]
            let exception = details["exception"] as? [String: Any] ?? [:]
            return "\(exception["description"] ?? details["text"] ?? "")"
        }
    }

    /// The Content-Security-Policy violations the current document reported.
    func cspViolations() throws -> [String] {
        try self.evaluate("window.__cspViolations || []") as? [String] ?? []
    }

    /// Sets the viewport to `width` × `height` CSS pixels (a phone's when narrower than 600), lets the page lay
    /// itself out, and writes a PNG of it to `file`.
    func screenshot(width: Int, height: Int, to file: URL) throws {
        try self.call(
            "Emulation.setDeviceMetricsOverride",
            ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600]
        )
        try self.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))")
        let shot = try self.call("Page.captureScreenshot", ["format": "png"])
        guard let base64 = shot["data"] as? String, let png = Data(base64Encoded: base64) else {
            throw DevToolsConnection.Failure(description: "Page.captureScreenshot gave no image")
        }
        try png.write(to: file)
    }

    /// `text` as a JavaScript string literal.
    static func literal(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}
