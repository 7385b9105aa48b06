/// The dashboard's icon (`GET /assets/icon.svg`).
enum DashboardIcon {
    /// The text served, byte for byte.
    static let svg = #"""
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f3a5f"/><path d="M9 8v16M23 8v16M9 16h14" stroke="#fff" stroke-width="4" stroke-linecap="round"/></svg>
        """#
}
