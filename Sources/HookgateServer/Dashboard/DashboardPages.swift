/// The web dashboard's static pages: the HTML shell at `GET /` and its assets at `GET /assets/<name>`
/// (`app.js`, `app.css`, `icon.svg`), all embedded in the binary; nothing is fetched from elsewhere. The pages
/// read the JSON admin API, and routing between them happens in the browser (`/#/deliveries?state=dead`, ...).
///
/// The script builds every node with `createElement` and `textContent` (no HTML parsing of any value), so the
/// pages work under the strict `Content-Security-Policy` the admin listener sends (`script-src 'self'`, no inline
/// script or style).
public enum DashboardPages {
    /// Answers `GET` (or `HEAD`) `/` and `/assets/<name>`; nil for any other request (the next router is asked).
    public static func route(_ request: AdminRequest) -> AdminResponse? {
        guard request.method == "GET" || request.method == "HEAD", let asset = Self.assets[request.path] else {
            return nil
        }
        return AdminResponse(status: 200, contentType: asset.contentType, body: asset.body)
    }

    private struct Asset: Sendable {
        let contentType: String
        let body: [UInt8]

        init(_ contentType: String, _ text: String) {
            self.contentType = contentType
            self.body = Array(text.utf8)
        }
    }

    private static let assets: [String: Asset] = [
        "/": Asset("text/html; charset=utf-8", DashboardShell.html),
        "/assets/app.js": Asset("text/javascript; charset=utf-8", DashboardScript.javaScript),
        "/assets/app.css": Asset("text/css; charset=utf-8", DashboardStyle.css),
        "/assets/icon.svg": Asset("image/svg+xml", DashboardIcon.svg),
    ]
}
