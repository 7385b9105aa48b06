import Foundation
import Glibc

/// Opens the dashboard's URL in the desktop's browser with `xdg-open`, when there is a desktop (`DISPLAY` or
/// `WAYLAND_DISPLAY` set).
///
/// As Jupyter does, the browser is given a private file (mode 0600 in a 0700 directory) that redirects to the
/// URL, not the URL itself: a command line is readable by every local user (`/proc/PID/cmdline`), and the
/// browser's and `xdg-open`'s would otherwise hold the token.
struct BrowserOpener {
    /// The redirect file's directory, removed by ``remove()``.
    private let directory: String

    /// Whether `environment` has a desktop to open a browser on.
    static func hasDesktop(_ environment: [String: String]) -> Bool {
        ["DISPLAY", "WAYLAND_DISPLAY"].contains { !(environment[$0] ?? "").isEmpty }
    }

    /// Writes the redirect file for `url` and starts `xdg-open` on it; nil (with a note on standard error)
    /// when either fails. `url` must hold no HTML metacharacters (the dashboard's holds a host, a port and
    /// hex digits).
    static func open(_ url: String) -> BrowserOpener? {
        var template = Array("\(NSTemporaryDirectory())/hookgate-dashboard-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            StandardError.write("hookgate dashboard: cannot create a private directory; open the URL above yourself")
            return nil
        }
        let opener = BrowserOpener(directory: String(cString: created))
        let file = opener.directory + "/open.html"
        let page = """
            <!DOCTYPE html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=\(url)">\
            <title>Hookgate dashboard</title><a href="\(url)">Open the Hookgate dashboard</a>

            """
        let descriptor = Glibc.open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        let bytes = Array(page.utf8)
        guard descriptor >= 0, bytes.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == bytes.count
        else {
            if descriptor >= 0 { close(descriptor) }
            opener.remove()
            StandardError.write(
                "hookgate dashboard: cannot write the browser's redirect file; open the URL above yourself"
            )
            return nil
        }
        close(descriptor)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xdg-open", file]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            opener.remove()
            StandardError.write("hookgate dashboard: could not start xdg-open; open the URL above yourself")
            return nil
        }
        return opener
    }

    /// Removes the redirect file and its directory.
    func remove() {
        unlink(self.directory + "/open.html")
        rmdir(self.directory)
    }
}
