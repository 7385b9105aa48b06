import Testing

@testable import HookgateServer

/// The dashboard's embedded pages: which requests they answer, with what, and that their code keeps to the
/// rules the Content-Security-Policy and the escaping of stored values rely on.
struct DashboardPagesTests {
    private func get(_ path: String, method: String = "GET") -> AdminResponse? {
        DashboardPages.route(AdminRequest(method: method, path: path, query: [:], headers: [:], body: []))
    }

    private func text(_ path: String) -> String {
        String(decoding: self.get(path)?.body ?? [], as: UTF8.self)
    }

    @Test(arguments: [
        ("/", "text/html; charset=utf-8"),
        ("/assets/app.js", "text/javascript; charset=utf-8"),
        ("/assets/app.css", "text/css; charset=utf-8"),
        ("/assets/icon.svg", "image/svg+xml"),
    ])
    func servesEachAssetWithItsType(path: String, contentType: String) throws {
        let response = try #require(self.get(path))
        #expect(response.status == 200)
        #expect(response.contentType == contentType)
        #expect(!response.body.isEmpty)
        let head = try #require(self.get(path, method: "HEAD"))
        #expect(head.status == 200 && head.contentType == contentType)
    }

    @Test(arguments: [
        ("GET", "/index.html"), ("GET", "/assets/"), ("GET", "/assets/app.js/"), ("GET", "/assets/../assets/app.js"),
        ("GET", "/assets/other.js"), ("GET", "/deliveries"), ("GET", "/healthz"), ("POST", "/"),
        ("POST", "/assets/app.js"), ("DELETE", "/"),
    ])
    func leavesEveryOtherRequestToTheNextRouter(method: String, path: String) {
        #expect(self.get(path, method: method) == nil)
    }

    @Test func theShellLoadsOnlyItsOwnAssetsAndHasNoInlineCodeOrStyle() {
        let html = self.text("/")
        #expect(html.contains(#"<script src="/assets/app.js" defer></script>"#))
        #expect(html.contains(#"<link rel="stylesheet" href="/assets/app.css">"#))
        #expect(html.ranges(of: "<script").count == 1)
        #expect(html.firstMatch(of: /(?i)\sstyle\s*=/) == nil)
        #expect(html.firstMatch(of: /(?i)\son[a-z]+\s*=/) == nil)
        #expect(html.firstMatch(of: /(?i)<style/) == nil)
    }

    @Test func theScriptUsesNoHTMLSinkNorEval() {
        let script = self.text("/assets/app.js")
        for sink in [
            "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "srcdoc",
            "createContextualFragment", "DOMParser", "javascript:", ".src =", "setAttribute('on",
        ] {
            #expect(!script.contains(sink), "app.js contains \(sink)")
        }
        // Timers get functions, never strings of code.
        #expect(script.firstMatch(of: /set(Timeout|Interval)\(\s*['"`]/) == nil)
        // Text goes in with textContent; the one place a node's content is set.
        #expect(script.contains("textContent"))
    }

    @Test func nothingIsFetchedFromElsewhere() {
        for path in ["/", "/assets/app.js", "/assets/app.css"] {
            let text = self.text(path)
            #expect(text.firstMatch(of: /(?i)https?:\/\//) == nil, "\(path) names another origin")
            #expect(!text.contains("//cdn"), "\(path) names a CDN")
        }
        let css = self.text("/assets/app.css")
        #expect(!css.contains("@import") && !css.contains("url(") && !css.contains("@font-face"))
        let svg = self.text("/assets/icon.svg")
        #expect(!svg.contains("<script") && svg.firstMatch(of: /(?i)\son[a-z]+\s*=/) == nil)
    }
}
