extension HookgateConfiguration {
    /// The HTTP admin listener's rules: a non-loopback `http_listen` only with `allow_remote: true` and
    /// `http_tls`, and a port of its own (not a webhook listener's, not the admin listener's).
    func adminHTTPIssues() -> [ConfigurationIssue] {
        guard let http = self.adminHTTP else { return [] }
        var issues: [ConfigurationIssue] = []
        let path = JSONPath.root.appending("admin").appending("http_listen")
        let address = http.listen
        if !address.isLoopback {
            if !http.allowRemote {
                issues.append(
                    ConfigurationIssue(
                        code: .invalidValue,
                        path: path,
                        reason: "\(address.host) is not a loopback address; set \"allow_remote\": true and "
                            + "\"http_tls\" to expose the dashboard, or reach it through ssh -L or hookgate dashboard"
                    )
                )
            } else if http.tls == nil {
                issues.append(
                    ConfigurationIssue(
                        code: .missingKey,
                        path: JSONPath.root.appending("admin").appending("http_tls"),
                        reason: "required when http_listen is not a loopback address: the token and session "
                            + "cookie must not cross the network in clear text"
                    )
                )
            }
        }
        if address.port != 0 {
            if self.listen.contains(where: { $0.port == address.port }) {
                issues.append(
                    ConfigurationIssue(
                        code: .duplicateValue,
                        path: path,
                        reason: "port \(address.port) is also a webhook listener"
                    )
                )
            }
            if case .tcp(let admin, _) = self.admin, admin.port == address.port {
                issues.append(
                    ConfigurationIssue(
                        code: .duplicateValue,
                        path: path,
                        reason: "port \(address.port) is also the admin listener's (admin.listen)"
                    )
                )
            }
        }
        return issues
    }
}
