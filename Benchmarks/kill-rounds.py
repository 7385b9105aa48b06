#!/usr/bin/env python3
"""Issue 15, point 3: SIGKILL of `hookgate serve` at random moments under a 64-connection load, round after
round, and what it costs: acknowledged events lost (must be 0) and duplicates at the payment system (at most
the deliveries leased, in flight, at each kill).

    Benchmarks/kill-rounds.py [--rounds 20] [--connections 64] [--seed N] [--keep]

The real binary (HOOKGATE_BIN, else .build-release/release/hookgate, else .build/debug/hookgate) runs
`serve` on the shipped configuration (Config/hookgate.json) in a temporary directory: SQLite store, a
certificate from `hookgate certs dev`, and `hookgate sink` as the payment system on its socket. Each round
starts `serve` on the same data directory, loads it from 64 keep-alive TLS connections with distinct signed
`payment_intent.succeeded` events (one payment each, so that per-payment order never holds one back), kills it
with SIGKILL after a random 0.3 to 2 s, and counts the deliveries leased at that moment from the store. After
the last round `serve` runs until every stored delivery is delivered (a killed gateway's leases expire after
upstream.timeout_ms + 30 s). Then:

  - every event answered 200 must be stored, and delivered to the sink (lost: 0);
  - every delivery the sink acknowledged more than once (a duplicate) must be one that was leased, in flight,
    at one of the kills (the store's `delivering` deliveries right after each kill).

Prints one line per round and a summary; exits 1 if an acknowledged event is lost or a duplicate was not
leased at a kill. Everything listens on 127.0.0.1 or a Unix socket in the temporary directory; every process it starts
is stopped.
"""

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from fault_load import ROOT, Events, Load, hookgate_binary

SECRET = "whsec_killRoundsOnlyNotARealSecret0123456"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    seed = options.seed if options.seed is not None else random.randrange(1 << 30)
    random.seed(seed)
    binary = hookgate_binary() or sys.exit("kill-rounds: no hookgate binary (swift build first)")
    work = tempfile.mkdtemp(prefix="hookgate-kill-rounds.")
    processes = []
    print(f"kill-rounds: {binary}, {options.rounds} rounds, {options.connections} connections, seed {seed}")

    def start(arguments, log_name, environment):
        log = open(os.path.join(work, log_name), "ab")
        process = subprocess.Popen([binary] + arguments, cwd=work, stdout=log, stderr=log, env=environment)
        processes.append(process)
        return process

    try:
        os.makedirs(os.path.join(work, "Config"))
        shutil.copy(os.path.join(ROOT, "Config/hookgate.json"), os.path.join(work, "Config"))
        subprocess.run([binary, "certs", "dev"], cwd=work, check=True, capture_output=True)
        port = free_port()
        socket_path = os.path.join(work, "payments.sock")
        environment = dict(
            os.environ,
            HOOKGATE_LISTEN=f"127.0.0.1:{port}",
            HOOKGATE_DATA_DIR=os.path.join(work, "data"),
            HOOKGATE_UPSTREAM_SOCKET=socket_path,
            HOOKGATE_ADMIN_SOCKET=os.path.join(work, "admin.sock"),
            STRIPE_WEBHOOK_SECRET=SECRET,
        )
        sink_output = os.path.join(work, "sink.jsonl")
        sink = subprocess.Popen(
            [binary, "sink", "--socket", socket_path, "--format", "json"],
            cwd=work,
            stdout=open(sink_output, "wb"),
            stderr=open(os.path.join(work, "sink.log"), "wb"),
        )
        processes.append(sink)
        events = Events(SECRET)
        store = os.path.join(work, "data", "hookgate.sqlite")

        def stats():
            result = subprocess.run(
                [binary, "deliveries", "stats", "--store", store, "--json"],
                cwd=work, capture_output=True, text=True, check=True,
            )
            return json.loads(result.stdout)["by_state"]

        def leased():
            result = subprocess.run(
                [binary, "deliveries", "list", "--store", store, "--state", "delivering", "--json",
                 "--limit", "100000"],
                cwd=work, capture_output=True, text=True, check=True,
            )
            return {json.loads(line)["id"] for line in result.stdout.splitlines()}

        def start_gateway():
            gateway = start(["serve"], "serve.log", environment)
            deadline = time.time() + 30
            while time.time() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    return gateway
                except OSError:
                    if gateway.poll() is not None:
                        sys.exit(f"kill-rounds: serve exited {gateway.returncode}; see {work}/serve.log")
                    time.sleep(0.05)
            sys.exit("kill-rounds: serve did not listen within 30 s")

        acknowledged = set()
        leased_at_kills = set()
        for round_number in range(1, options.rounds + 1):
            gateway = start_gateway()
            load = Load(port, os.path.join(work, "certs/dev-ca.pem"), events, options.connections)
            load.start()
            delay = random.uniform(0.3, 2.0)
            time.sleep(delay)
            gateway.send_signal(signal.SIGKILL)
            gateway.wait()
            by_state = stats()
            # Leases of earlier kills may not have expired yet: the new ones are this round's.
            held = leased()
            new = held - leased_at_kills
            leased_at_kills |= held
            load.stop()
            acknowledged |= load.acknowledged
            print(
                f"round {round_number:2}: killed after {delay:.2f} s, {len(load.acknowledged)} acknowledged, "
                f"{len(new)} newly leased at the kill, stored so far {sum(by_state.values())}"
            )

        gateway = start_gateway()
        deadline = time.time() + 180
        while time.time() < deadline:
            by_state = stats()
            if by_state.get("pending", 0) + by_state.get("delivering", 0) == 0:
                break
            time.sleep(1)
        gateway.send_signal(signal.SIGTERM)
        gateway.wait(timeout=30)
        sink.send_signal(signal.SIGTERM)
        sink.wait(timeout=30)

        listed = subprocess.run(
            [binary, "deliveries", "list", "--store", store, "--json", "--limit", "1000000"],
            cwd=work, capture_output=True, text=True, check=True,
        ).stdout
        stored = {}
        for line in listed.splitlines():
            record = json.loads(line)
            stored[record["event_id"]] = record["state"]
        received = {}
        times_by_delivery = {}
        for line in open(sink_output):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if 200 <= record.get("status", 0) < 300:
                event_id = (record.get("event") or {}).get("id")
                received[event_id] = received.get(event_id, 0) + 1
                delivery = record.get("delivery_id")
                times_by_delivery[delivery] = times_by_delivery.get(delivery, 0) + 1
        not_stored = [e for e in acknowledged if e not in stored]
        not_delivered = [e for e in acknowledged if e not in received]
        undelivered = {s: n for s, n in ((s, list(stored.values()).count(s)) for s in set(stored.values()))
                       if s != "delivered"}
        duplicates = sum(count - 1 for count in times_by_delivery.values())
        duplicated = {delivery for delivery, count in times_by_delivery.items() if count > 1}
        unexplained = duplicated - leased_at_kills
        print(
            f"kill-rounds: {options.rounds} kills, {len(acknowledged)} acknowledged, {len(stored)} stored, "
            f"{len(not_stored)} acknowledged not stored, {len(not_delivered)} acknowledged not delivered, "
            f"stored not delivered {undelivered or 0}, {duplicates} duplicates at the sink "
            f"({len(duplicated)} deliveries, {len(unexplained)} of them not leased at a kill), "
            f"{len(leased_at_kills)} deliveries leased at the kills"
        )
        failed = bool(not_stored or not_delivered or unexplained)
        print("kill-rounds: " + ("FAILED" if failed else "held"))
        return 1 if failed else 0
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        if options.keep:
            print(f"kill-rounds: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
