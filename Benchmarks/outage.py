#!/usr/bin/env python3
"""Issue 15, point 3: the payment system's socket gone for a while under a steady load, then back.

    Benchmarks/outage.py [--minutes 10] [--rate 500] [--senders 10] [--keep]

The real binary (HOOKGATE_BIN, else .build-release/release/hookgate, else .build/debug/hookgate) runs `serve`
on the shipped configuration in a temporary directory, with no payment system on its upstream socket. For
--minutes, --senders `hookgate send` processes post --rate signed payment_intent.succeeded events per second
in all, each about a payment of its own. Every 10 s the gateway's resident memory is sampled. Then
`hookgate sink` starts on the socket, and the time until every stored delivery is delivered is measured. (Per
payment order across an outage is the suite's `aMissingSocketDelaysDeliveryInPerPaymentOrder`.)

It prints the memory samples, the events acknowledged, lost (not delivered: must be 0), and the time to
deliver the backlog after the return. Exits 1 if an acknowledged event is lost or the backlog is not delivered
within 30 minutes. Everything listens on
127.0.0.1 or a Unix socket in the temporary directory; every process it starts is stopped.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from fault_load import ROOT, hookgate_binary

SECRET = "whsec_outageOnlyNotARealSecret0123456789ab"


def resident_megabytes(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=int, default=500)
    parser.add_argument("--senders", type=int, default=10)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    binary = hookgate_binary() or sys.exit("outage: no hookgate binary (swift build first)")
    work = tempfile.mkdtemp(prefix="hookgate-outage.")
    processes = []
    seconds = int(options.minutes * 60)
    print(f"outage: {binary}, {seconds} s without a payment system at {options.rate} events/s")
    try:
        os.makedirs(os.path.join(work, "Config"))
        shutil.copy(os.path.join(ROOT, "Config/hookgate.json"), os.path.join(work, "Config"))
        subprocess.run([binary, "certs", "dev"], cwd=work, check=True, capture_output=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        socket_path = os.path.join(work, "payments.sock")
        environment = dict(
            os.environ, HOOKGATE_LISTEN=f"127.0.0.1:{port}", HOOKGATE_DATA_DIR=os.path.join(work, "data"),
            HOOKGATE_UPSTREAM_SOCKET=socket_path, HOOKGATE_ADMIN_SOCKET=os.path.join(work, "admin.sock"),
            STRIPE_WEBHOOK_SECRET=SECRET,
        )
        log = open(os.path.join(work, "serve.log"), "ab")
        gateway = subprocess.Popen([binary, "serve"], cwd=work, env=environment, stdout=log, stderr=log)
        processes.append(gateway)
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline or gateway.poll() is not None:
                    sys.exit(f"outage: serve did not start; see {work}/serve.log")
                time.sleep(0.05)

        per_sender = options.rate / options.senders
        count = int(per_sender * seconds)
        senders = []
        for index in range(options.senders):
            output = open(os.path.join(work, f"send-{index}.out"), "wb")
            sender = subprocess.Popen(
                [binary, "send", "payment_intent.succeeded",
                 "--count", str(count), "--rate", f"{per_sender:g}", "--cacert",
                 os.path.join(work, "certs/dev-ca.pem"), "--url", f"https://localhost:{port}/webhooks/stripe"],
                cwd=work, env=environment, stdout=output, stderr=output,
            )
            processes.append(sender)
            senders.append(sender)
        started = time.time()
        samples = []
        while any(sender.poll() is None for sender in senders):
            samples.append((int(time.time() - started), resident_megabytes(gateway.pid)))
            if time.time() - started > seconds + 120:
                break
            time.sleep(10)
        print("outage: serve's RSS (s: MB) " + ", ".join(f"{t}: {m:.0f}" for t, m in samples))
        acknowledged_total = 0
        for index in range(options.senders):
            text = open(os.path.join(work, f"send-{index}.out"), errors="replace").read()
            match = re.search(r"2xx (\d+)", text)
            acknowledged_total += int(match.group(1)) if match else 0
        store = os.path.join(work, "data", "hookgate.sqlite")

        def by_state():
            result = subprocess.run(
                [binary, "deliveries", "stats", "--store", store, "--json"],
                cwd=work, capture_output=True, text=True, check=True,
            )
            return json.loads(result.stdout)["by_state"]

        before = by_state()
        print(f"outage: {acknowledged_total} acknowledged in {time.time() - started:.0f} s; states {before}")
        sink_output = os.path.join(work, "sink.jsonl")
        sink = subprocess.Popen(
            [binary, "sink", "--socket", socket_path, "--format", "json"], cwd=work,
            stdout=open(sink_output, "wb"), stderr=open(os.path.join(work, "sink.log"), "wb"),
        )
        processes.append(sink)
        returned = time.time()
        drained = None
        while time.time() - returned < 1800:
            states = by_state()
            if states.get("pending", 0) + states.get("delivering", 0) == 0:
                drained = time.time() - returned
                break
            time.sleep(1)
        after = by_state()
        sink.send_signal(signal.SIGTERM)
        sink.wait(timeout=30)
        delivered = set()
        for line in open(sink_output):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if 200 <= record.get("status", 0) < 300:
                delivered.add(record.get("delivery_id"))
        lost = max(0, acknowledged_total - len(delivered))
        drain = f"all delivered {drained:.1f} s after it" if drained is not None else "NOT drained in 30 minutes"
        print(
            f"outage: after the return, {drain}; stored {sum(after.values())}, states {after}, "
            f"{len(delivered)} deliveries acknowledged by the sink, {lost} acknowledged events not delivered"
        )
        failed = lost > 0 or drained is None
        print("outage: " + ("held" if not failed else "FAILED"))
        return 1 if failed else 0
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        if options.keep:
            print(f"outage: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
