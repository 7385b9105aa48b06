/// Bodies that differ from a received body by one usual transformation, each with the cause it would reveal.
struct BodyVariant {
    let cause: DiagnosisCause
    let bytes: [UInt8]
    let explanation: String

    /// The variants of `body`, most common culprits first; none equals `body`.
    static func variants(of body: [UInt8]) -> [BodyVariant] {
        var variants: [BodyVariant] = []
        func add(_ cause: DiagnosisCause, _ bytes: [UInt8]?, _ explanation: String) {
            guard let bytes, bytes != body, !variants.contains(where: { $0.bytes == bytes }) else { return }
            variants.append(BodyVariant(cause: cause, bytes: bytes, explanation: explanation))
        }
        let newline = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")

        add(
            .trailingNewlineStripped,
            body + [newline],
            "the signature matches the body with a final newline added: the signed body ends with \"\\n\" "
                + "and something stripped it (a trim(), a line-based reader). Verify the raw request bytes."
        )
        if body.last == newline {
            let stripped = body.dropLast(body.dropLast().last == carriageReturn ? 2 : 1)
            add(
                .trailingNewlineAdded,
                Array(stripped),
                "the signature matches the body without its final newline: one was added after signing "
                    + "(an editor saving the file, `echo` into a file). Verify the raw request bytes."
            )
        }
        if let lf = Self.replacingCRLF(body) {
            add(
                .crlfLineEndings,
                lf,
                "the signature matches with CRLF line endings turned back into LF: the body was converted "
                    + "to CRLF (Windows line endings, a text-mode copy or a git autocrlf checkout)."
            )
        }
        if let crlf = Self.replacingLF(body) {
            add(
                .lfLineEndings,
                crlf,
                "the signature matches with LF line endings turned into CRLF: the signed body had CRLF "
                    + "and they were converted."
            )
        }
        let layouts: [(JSONLayout, DiagnosisCause)] = [
            (.stripePretty, .bodyReserialized),
            (JSONLayout(indent: 2, emptyContainers: .blankLine, escapeSlashes: false), .bodyReserialized),
            (JSONLayout(indent: 2, emptyContainers: .inline, escapeSlashes: true), .bodyReserialized),
            (JSONLayout(indent: 2, emptyContainers: .blankLine, escapeSlashes: true), .bodyReserialized),
            (.compact, .bodyPrettyPrinted),
        ]
        for (layout, cause) in layouts {
            guard let laidOut = layout.apply(to: body) else { break }
            let explanation =
                cause == .bodyPrettyPrinted
                ? "the signature matches the body written compact: the signed body was compact JSON and it "
                    + "was pretty-printed (a logger, `jq .`, a JSON formatter). Verify the raw request bytes."
                : "the signature matches the body pretty-printed the way Stripe sends it: the body was parsed "
                    + "and serialized again (e.g. JSON.stringify(req.body), a framework's JSON body parser). "
                    + "Verify the raw request bytes, before any JSON parsing."
            add(cause, laidOut, explanation)
            add(cause, laidOut + [newline], explanation)
        }
        return variants
    }

    private static func replacingCRLF(_ body: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var changed = false
        for (index, byte) in body.enumerated() {
            if byte == UInt8(ascii: "\r"), index + 1 < body.count, body[index + 1] == UInt8(ascii: "\n") {
                changed = true
                continue
            }
            out.append(byte)
        }
        return changed ? out : nil
    }

    private static func replacingLF(_ body: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(body.count + body.count / 16)
        var changed = false
        for (index, byte) in body.enumerated() {
            if byte == UInt8(ascii: "\n"), index == 0 || body[index - 1] != UInt8(ascii: "\r") {
                out.append(UInt8(ascii: "\r"))
                changed = true
            }
            out.append(byte)
        }
        return changed ? out : nil
    }
}
