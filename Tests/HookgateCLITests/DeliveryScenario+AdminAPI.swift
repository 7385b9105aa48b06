import Foundation
import HookgateCore
import HookgateTestSupport

extension DeliveryScenario {
    /// `curl` over the gateway's admin socket: GET `path`, or POST `body` (JSON) to it; the status and the parsed
    /// JSON body.
    func adminAPI(_ path: String, post body: String? = nil) throws -> (Int, JSONValue) {
        let socket = self.directory.url.appendingPathComponent("data/admin.sock").path
        var arguments = ["-s", "-w", "\n%{http_code}", "--unix-socket", socket, "http://admin\(path)"]
        if let body { arguments += ["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body] }
        let result = try HookgateProcess.run(executable: URL(fileURLWithPath: "/usr/bin/curl"), arguments: arguments)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.last ?? "") ?? 0
        let json = try JSONValueParser.parse(Array(lines.dropLast().joined(separator: "\n").utf8))
        return (status, json)
    }
}
