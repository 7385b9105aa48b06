public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process's standard stream for the tests, whose descriptors are closed on exec.
///
/// Foundation's `Pipe` leaves its descriptors inheritable, and `Process` does not close stray descriptors in
/// the child. Tests run in parallel: a child that another test spawns meanwhile inherits the pipe and keeps
/// it open after this test's child has exited, so reading its output to the end blocks until that other
/// child ends too. Here both ends are close-on-exec from their creation (a Unix socket pair made with
/// `SOCK_CLOEXEC`; Swift's Glibc module has no `pipe2`), and the child still gets ``childEnd`` as its
/// stdin, stdout or stderr, because `dup2` clears the flag on the copy. Close ``childEnd`` in the parent
/// after `Process.run()`, with ``closeChildEnd()``: then the child is the only one that holds it.
public struct CloseOnExecStream: Sendable {
    /// The parent's end: read a child's output from it, or write the child's input to it.
    public let parentEnd: FileHandle
    /// The end to give the child (`Process.standardInput`, `standardOutput` or `standardError`).
    public let childEnd: FileHandle

    /// Creates the stream.
    public init() {
        var descriptors: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        precondition(socketpair(AF_UNIX, type, 0, &descriptors) == 0, "socketpair failed: errno \(errno)")
        parentEnd = FileHandle(fileDescriptor: descriptors[0], closeOnDealloc: true)
        childEnd = FileHandle(fileDescriptor: descriptors[1], closeOnDealloc: true)
    }

    /// Closes the parent's copy of ``childEnd``; call it right after `Process.run()`.
    public func closeChildEnd() {
        try? childEnd.close()
    }
}
