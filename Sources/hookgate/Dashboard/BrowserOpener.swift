import Foundation

/// Opens a URL in the desktop's browser with `xdg-open`, when there is a desktop (`DISPLAY` or
/// `WAYLAND_DISPLAY` set).
enum BrowserOpener {
    /// Whether `environment` has a desktop to open a browser on.
    static func hasDesktop(_ environment: [String: String]) -> Bool {
        ["DISPLAY", "WAYLAND_DISPLAY"].contains { !(environment[$0] ?? "").isEmpty }
    }

    /// Starts `xdg-open url` and leaves it running; a note on standard error when it cannot be started.
    static func open(_ url: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xdg-open", url]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            StandardError.write("hookgate dashboard: could not start xdg-open; open the URL above yourself")
        }
    }
}
