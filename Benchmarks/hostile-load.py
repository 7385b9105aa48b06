#!/usr/bin/env python3
"""Issue 15, point 3: an honest client beside 1,000 slow-header connections and a forged-signature flood.

    Benchmarks/hostile-load.py [--slow 1000] [--no-flood] [--seconds 20] [--keep]

The real binary (HOOKGATE_BIN, else .build-release/release/hookgate, else .build/debug/hookgate) runs
`serve` on the shipped configuration (Config/hookgate.json, default limits: 4,096 connections, a 10 s header
read timeout) in a temporary directory, with `hookgate sink` as the payment system. The honest client is
`hookgate send` (20 events/s from 2 connections for --seconds), measured twice: alone, then while

  - `--slow` TLS connections each send a request head one byte per second (slow loris), and are opened again
    when the gateway closes them (it answers 408 at the header read timeout);
  - `hookgate send` floods the endpoint with events signed with the wrong secret, from 16 connections as fast
    as it is answered (each answered 401).

(--slow 0 or --no-flood leaves one of them out, to see what each costs.) Prints the honest client's answers
and latency both times, the slow connections held and answered 408, and
the forged requests answered 401. Exits 1 if an honest event is not answered 200. Everything listens on
127.0.0.1 or a Unix socket in the temporary directory; every process it starts is stopped.
"""

import argparse
import asyncio
import os
import re
import socket
import ssl
import subprocess
import sys
import threading
import time

from fault_load import hookgate_binary
from fault_rig import Rig

SECRET = "whsec_hostileLoadOnlyNotARealSecret012345"


class SlowLoris:
    """`count` TLS connections sending a request head one byte per second, reopened when closed."""

    HEAD = b"POST /webhooks/stripe HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n" + b"x" * 4000

    def __init__(self, port, cafile, count):
        self.port = port
        self.context = ssl.create_default_context(cafile=cafile)
        self.count = count
        self.open = 0
        self.answered_408 = 0
        self.failed_connects = 0
        self.stopping = False
        self.thread = threading.Thread(target=lambda: asyncio.run(self.main()), daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.stopping = True
        self.thread.join(timeout=30)

    async def main(self):
        await asyncio.gather(*(self.connection(index) for index in range(self.count)))

    async def connection(self, index):
        await asyncio.sleep(index * 0.005)
        while not self.stopping:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", self.port, ssl=self.context, server_hostname="localhost"),
                    timeout=10,
                )
            except (OSError, asyncio.TimeoutError, ssl.SSLError):
                self.failed_connects += 1
                await asyncio.sleep(0.5)
                continue
            self.open += 1
            try:
                for byte in self.HEAD:
                    if self.stopping:
                        break
                    writer.write(bytes([byte]))
                    await writer.drain()
                    try:
                        answer = await asyncio.wait_for(reader.read(4096), timeout=1)
                    except asyncio.TimeoutError:
                        continue
                    if b" 408 " in answer[:16]:
                        self.answered_408 += 1
                    break
            except (OSError, ssl.SSLError):
                pass
            finally:
                self.open -= 1
                writer.close()



def requests_by_outcome(admin_socket):
    """The gateway's `hookgate_requests` counters from its admin socket's /metrics, summed by outcome."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(10)
        connection.connect(admin_socket)
        connection.sendall(b"GET /metrics HTTP/1.1\r\nHost: admin\r\nConnection: close\r\n\r\n")
        text = b""
        while b"\r\n\r\n" not in text:
            text += connection.recv(65536)
        head, _, text = text.partition(b"\r\n\r\n")
        length = int(re.search(rb"(?im)^content-length: *(\d+)", head).group(1))
        while len(text) < length:
            text += connection.recv(65536)
    counts = {}
    for outcome, value in re.findall(rb'^hookgate_requests\{[^}]*outcome="([^"]+)"[^}]*\} (\d+)', text, re.M):
        counts[outcome.decode()] = counts.get(outcome.decode(), 0) + int(value)
    return counts

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slow", type=int, default=1000)
    parser.add_argument("--no-flood", action="store_true")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    binary = hookgate_binary() or sys.exit("hostile-load: no hookgate binary (swift build first)")
    print(f"hostile-load: {binary}, {options.slow} slow connections, {options.seconds} s per phase")
    rig = Rig(binary, "hostile-load", SECRET)
    try:
        rig.start_sink()
        gateway = rig.start_gateway()

        def honest(label):
            count = 20 * options.seconds
            result = subprocess.run(
                [binary, "send", "payment_intent.succeeded", "--count", str(count), "--rate", "20",
                 "--concurrency", "2", "--cacert", rig.cafile, "--url", rig.url],
                cwd=rig.work, env=rig.environment(), capture_output=True, text=True,
            )
            lines = [l for l in result.stdout.splitlines() if l.startswith(("2xx", "latency"))]
            print(f"-- honest client, {label}: " + "; ".join(lines))
            answered = re.search(r"2xx (\d+)", result.stdout)
            return answered is not None and int(answered.group(1)) == count

        ok_alone = honest("alone")

        loris = SlowLoris(rig.port, rig.cafile, options.slow)
        loris.start()
        time.sleep(8)
        flood = None
        if not options.no_flood:
            flood = rig.start(
                ["send", "payment_intent.succeeded", "--count", "10000000", "--concurrency", "16", "--cacert",
                 rig.cafile, "--url", rig.url], "flood.log",
                env=rig.environment(secret="whsec_wrongSecretForTheForgedFlood0123456"),
            )
            time.sleep(2)
        held = loris.open
        ok_beside = honest(
            f"beside {held} slow connections" + ("" if options.no_flood else " and the forged flood")
        )
        if flood is not None:
            flood.kill()
            flood.wait()
        loris.stop()
        # What the gateway answered, counted by its metrics (its log has at most
        # limits.rejected_log_lines_per_second lines for rejected requests).
        answered = requests_by_outcome(os.path.join(rig.work, "admin.sock"))
        print(
            f"-- slow connections: {held} open at the honest run's start, {loris.answered_408} answered 408 "
            f"({answered.get('request_timeout', 0)} counted by the gateway), {loris.failed_connects} connects "
            f"failed; forged flood: {answered.get('signature_mismatch', 0)} answered 401"
        )
        rig.stop(gateway)
        held_ok = ok_alone and ok_beside
        print("hostile-load: " + ("held" if held_ok else "FAILED: an honest event was not answered 200"))
        return 0 if held_ok else 1
    finally:
        rig.close(options.keep)


if __name__ == "__main__":
    sys.exit(main())
