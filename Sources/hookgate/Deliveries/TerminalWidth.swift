import Glibc

/// How wide standard output's terminal is: its window size, else `$COLUMNS`, else 80; `nil` when standard output
/// is not a terminal (a pipe or a file), where values are printed whole.
enum TerminalWidth {
    static func current() -> Int? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let text = getenv("COLUMNS"), let columns = Int(String(cString: text)), columns > 0 { return columns }
        return 80
    }
}
