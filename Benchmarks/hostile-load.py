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

(--slow 0 or --no-flood leaves one of them out, to see what each costs.) `--flood-from 127.0.0.2` sends both
attacks from that address instead (the forged flood then comes from Python processes, 2 of 8 keep-alive
connections each, reconnecting when closed, with the same forged body) and `--allow` (repeatable, CIDRs) sets
the endpoint's `allowed_sources`: with `--allow 127.0.0.1/32` the attackers' connections are closed at accept,
as they are for a gateway whose endpoints list Stripe's addresses. `--pin` runs the server, the sink and the
honest client on CPU 0 and the attackers on CPU 1, as if they had a machine of their own: the honest client's
latency then shows what the attack costs the server, not what the attackers' own processes take from it.
`--peer nginx` runs the same three
phases against nginx (2 workers, `return 200` over TLS with the same certificate, 4,096 connections per worker)
instead of the gateway: what any server's honest client pays when the same flood shares this machine's cores.
Prints the honest client's answers
and latency both times, the slow connections held and answered 408, and
the forged requests answered 401. Exits 1 if an honest event is not answered 200. Everything listens on
127.0.0.1 or a Unix socket in the temporary directory; every process it starts is stopped.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import shutil
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

    def __init__(self, port, cafile, count, source=None, cpus=None):
        self.port = port
        self.cpus = cpus
        self.local_address = (source, 0) if source else None
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
        if self.cpus:
            os.sched_setaffinity(0, self.cpus)  # this thread only
        await asyncio.gather(*(self.connection(index) for index in range(self.count)))

    async def connection(self, index):
        await asyncio.sleep(index * 0.005)
        while not self.stopping:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", self.port, ssl=self.context, server_hostname="localhost",
                                            local_addr=self.local_address),
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

FORGED_FLOOD_CONNECTIONS = 8


def forged_flood_process(port, cafile, source, stop, answered, refused, cpus):
    """One flood process: FORGED_FLOOD_CONNECTIONS keep-alive TLS connections from `source` POSTing one event
    signed with the wrong secret as fast as each is answered, reconnecting when the connection is closed."""
    if cpus:
        os.sched_setaffinity(0, cpus)
    body = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests/Fixtures/stripe-events",
                             "payment_intent.succeeded.json"), "rb").read()
    request = (
        b"POST /webhooks/stripe HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n"
        + b"stripe-signature: t=%d,v1=%s\r\n" % (int(time.time()), b"0" * 64)
        + b"content-length: %d\r\n\r\n" % len(body) + body
    )
    context = ssl.create_default_context(cafile=cafile)

    async def connection():
        while not stop.is_set():
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", port, ssl=context, server_hostname="localhost",
                                            local_addr=(source, 0)),
                    timeout=10,
                )
            except (OSError, asyncio.TimeoutError, ssl.SSLError):
                with refused.get_lock():
                    refused.value += 1
                continue
            try:
                while not stop.is_set():
                    writer.write(request)
                    head = await reader.readuntil(b"\r\n\r\n")
                    length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
                    await reader.readexactly(length)
                    with answered.get_lock():
                        answered.value += 1
            except (OSError, asyncio.IncompleteReadError, ssl.SSLError, AttributeError):
                pass
            finally:
                writer.close()

    async def main():
        await asyncio.gather(*(connection() for _ in range(FORGED_FLOOD_CONNECTIONS)))

    asyncio.run(main())


def start_nginx(rig):
    """nginx answering `return 200` on the rig's port with its certificate; waits until it listens."""
    directory = os.path.join(rig.work, "nginx")
    os.makedirs(directory)
    with open(os.path.join(directory, "nginx.conf"), "w") as conf:
        conf.write(f"""worker_processes 2;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {directory}/body;
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  client_header_timeout 10s;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_certificate {rig.work}/certs/dev-cert.pem;
  ssl_certificate_key {rig.work}/certs/dev-key.pem;
  server {{
    listen 127.0.0.1:{rig.port} ssl;
    location = /webhooks/stripe {{ return 200; }}
    location / {{ return 404; }}
  }}
}}
""")
    nginx = subprocess.Popen(
        [shutil.which("nginx") or "/usr/sbin/nginx", "-p", directory + "/", "-e", f"{directory}/error.log", "-c",
         f"{directory}/nginx.conf", "-g", "daemon off;"],
    )
    rig.processes.append(nginx)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", rig.port), timeout=1).close()
            return nginx
        except OSError:
            if nginx.poll() is not None:
                sys.exit(f"nginx exited {nginx.returncode}; see {directory}/error.log")
            time.sleep(0.05)
    sys.exit("nginx did not listen within 30 s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slow", type=int, default=1000)
    parser.add_argument("--no-flood", action="store_true")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--peer", choices=["hookgate", "nginx"], default="hookgate")
    parser.add_argument("--flood-from", help="the attackers' source address (e.g. 127.0.0.2)")
    parser.add_argument("--allow", action="append", default=[], help="the endpoint's allowed_sources (CIDR)")
    parser.add_argument("--pin", action="store_true", help="server and honest client on CPU 0, attackers on CPU 1")
    options = parser.parse_args()
    if options.pin and not options.flood_from and not options.no_flood:
        sys.exit("hostile-load: --pin needs --flood-from (the `hookgate send` flood cannot be pinned apart)")
    attacker_cpus = {1} if options.pin else None
    if options.pin:
        os.sched_setaffinity(0, {0})  # inherited by the server, the sink and the honest client
    binary = hookgate_binary() or sys.exit("hostile-load: no hookgate binary (swift build first)")
    server = binary if options.peer == "hookgate" else "nginx"
    print(f"hostile-load: {server}, {options.slow} slow connections, {options.seconds} s per phase")
    rig = Rig(binary, "hostile-load", SECRET)
    try:
        if options.allow:
            path = os.path.join(rig.work, "Config/hookgate.json")
            configuration = json.load(open(path))
            for endpoint in configuration["endpoints"]:
                endpoint["allowed_sources"] = options.allow
            json.dump(configuration, open(path, "w"), indent=2)
        if options.peer == "nginx":
            gateway = start_nginx(rig)
        else:
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

        loris = SlowLoris(rig.port, rig.cafile, options.slow, options.flood_from, attacker_cpus)
        loris.start()
        time.sleep(8)
        flood = None
        flood_processes = []
        stop_flood = multiprocessing.Event()
        flood_answered = multiprocessing.Value("q", 0)
        flood_refused = multiprocessing.Value("q", 0)
        if not options.no_flood and options.flood_from:
            for _ in range(2):
                process = multiprocessing.Process(
                    target=forged_flood_process,
                    args=(rig.port, rig.cafile, options.flood_from, stop_flood, flood_answered, flood_refused,
                          attacker_cpus),
                    daemon=True,
                )
                process.start()
                flood_processes.append(process)
            time.sleep(2)
        elif not options.no_flood:
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
        stop_flood.set()
        for process in flood_processes:
            process.join(timeout=15)
            if process.is_alive():
                process.kill()
        if flood_processes:
            print(f"-- flood from {options.flood_from}: {flood_answered.value} answered, "
                  f"{flood_refused.value} connections refused or failed")
        loris.stop()
        # What the gateway answered, counted by its metrics (its log has at most
        # limits.rejected_log_lines_per_second lines for rejected requests); nginx counts nothing here.
        answered = requests_by_outcome(os.path.join(rig.work, "admin.sock")) if options.peer == "hookgate" else {}
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
