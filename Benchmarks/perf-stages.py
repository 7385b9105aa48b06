#!/usr/bin/env python3
"""Sorts the samples of `perf script` (a `perf record -e cpu-clock -F HZ -g` of `hookgate serve`) into the
stages of one delivery's path and prints microseconds of CPU per event for each.

    perf script -i perf.data | swift demangle --simplified | perf-stages.py --events N [--hz 499]

A sample belongs to the first stage whose pattern matches any frame of its call chain (leaf to root,
user and kernel frames alike), in the order of STAGES: the most specific callers first, so that SQLite
running for a claim counts as the claim and not as the append. Symbols are matched demangled.
A sample that no pattern places (a chain cut short, e.g. inside a library built without frame pointers)
is placed by its thread: NIO's event loops, the store's dispatch queues (GRDB), or Swift's global pool.
"""
import argparse
import re
import sys
from collections import Counter

# (stage, pattern over the demangled frames of one sample), most specific first.
STAGES = [
    ("completion (record attempts)", r"recordCompletion|completeAttempt|Completion\b|GroupCommitter<Completion"),
    ("claim (lease due deliveries)", r"claimDue|\.lease\(in:"),
    ("apply preparations", r"applyPreparations|\.apply\(_:nowMS:in:\)|claimFacts"),
    ("read unprepared", r"unprepared"),
    ("normalize (worker)", r"StripeEventNormalizer|DeliveryPreparer|JSONValueParser|CatalogEventNormalizer|"
                           r"StripeObjectReader|prepareBacklog|JSONValue\b|StripeEvent\b"),
    # `swift demangle --simplified` drops module names: AsyncHTTPClient shows as its types.
    ("forward (HTTP client to the socket)", r"UpstreamClient|Upstream[A-Z]\w*|HTTPClient|StandardWebhooks|"
                                            r"HTTP1ClientChannelHandler|HTTP1Connection|HTTPConnectionPool|"
                                            r"RequestBag|\bTransaction\b|HTTPRequestStateMachine"),
    ("worker, other", r"DeliveryWorker"),
    ("store append (group commit, SQLite)", r"GroupCommitter|SQLiteDeliveryStore|sqlite3|GRDB\.|WALCheckpointer|"
                                            r"\bext4_|jbd2|fdatasync|\bfsync"),
    ("verify (HMAC, header)", r"StripeSignatureScheme|StripeSignatureHeader|HMACKey|SHA256MAC|EVP_MAC|HMAC|"
                              r"sha256|SignatureHeaders|Keyring"),
    ("envelope (id, type, created)", r"EventEnvelope|JSONTokenizer"),
    ("access log", r"\bLogging\.|LogHandler|vfprintf|strftime|localtime|_IO_|fwrite|fflush|ISO8601|"
                   r"LogLineWriter|LogTimestamp"),
    ("metrics", r"Prometheus|\bMetrics\.|GatewayMetrics|DeliveryMetrics|CoreMetrics"),
    ("pipeline check and answer", r"WebhookPipeline|RequestLimitsHandler|IngressServer|ErrorResponse|"
                                  r"WebhookResponse|IngressConnection"),
    ("TLS + HTTP (NIO, BoringSSL, sockets)", r"NIOSSL|BoringSSL|aes_|gcm_|HTTPRequestDecoder|HTTPServer|"
                                             r"HTTPResponseEncoder|llhttp|c_nio_|SelectableEventLoop|"
                                             r"SocketChannel|ChannelPipeline|ChannelHandlerContext|\btcp_|"
                                             r"\bsock_|epoll|NIOHTTPRequestDecompressor"),
    ("Swift concurrency and runtime", r"swift_task|swift_job|swift::|swift_retain|swift_release|"
                                      r"swift_allocObject|swift_getGenericMetadata|Concurrency"),
]

# Where a sample no pattern places ran, by the name of its thread.
THREADS = [
    ("unplaced: NIO event loops", r"^NIO-"),
    ("unplaced: store threads (GRDB queues)", r"qos\.overcommit|GRDB"),
    ("unplaced: Swift's global pool", r"default-qos|swift"),
]


def samples(lines):
    """Yields (thread name, frames) of each sample: its header line, then the frame lines up to a blank line."""
    frames, thread = [], None
    for line in lines:
        if not line.strip():
            if thread is not None:
                yield thread, frames
            frames, thread = [], None
        elif line[0] in " \t":
            frames.append(line.strip())
        else:
            thread = line.split(" ")[0] if not line.startswith(" ") else ""
            thread = re.split(r"\s+\d+[ /]", line.strip(), maxsplit=1)[0]
    if thread is not None:
        yield thread, frames


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, required=True, help="events the recording covers")
    parser.add_argument("--hz", type=int, default=499, help="perf record's -F")
    args = parser.parse_args()
    compiled = [(name, re.compile(pattern)) for name, pattern in STAGES]
    counts = Counter()
    total = 0
    threads = [(name, re.compile(pattern)) for name, pattern in THREADS]
    for thread, frames in samples(sys.stdin):
        total += 1
        joined = "\n".join(frames)
        for name, pattern in compiled:
            if pattern.search(joined):
                counts[name] += 1
                break
        else:
            counts[next((name for name, pattern in threads if pattern.search(thread)), "other")] += 1
    if total == 0 or args.events <= 0:
        print("no samples")
        return
    per_event = lambda n: n / args.hz * 1e6 / args.events
    print(f"{'stage':<42} {'samples':>8} {'share':>7} {'us/event':>9}")
    for name, _ in STAGES + THREADS + [("other", None)]:
        if counts[name]:
            print(f"{name:<42} {counts[name]:>8} {100 * counts[name] / total:>6.1f}% {per_event(counts[name]):>9.1f}")
    print(f"{'all of serve':<42} {total:>8} {100.0:>6.1f}% {per_event(total):>9.1f}")


if __name__ == "__main__":
    main()
