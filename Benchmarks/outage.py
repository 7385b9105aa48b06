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
import re
import sys
import time

from fault_load import hookgate_binary
from fault_rig import Rig

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
    seconds = int(options.minutes * 60)
    print(f"outage: {binary}, {seconds} s without a payment system at {options.rate} events/s")
    rig = Rig(binary, "outage", SECRET)
    try:
        gateway = rig.start_gateway()
        per_sender = options.rate / options.senders
        count = int(per_sender * seconds)
        senders = [
            rig.start(
                ["send", "payment_intent.succeeded", "--count", str(count), "--rate", f"{per_sender:g}",
                 "--cacert", rig.cafile, "--url", rig.url],
                f"send-{index}.out",
            )
            for index in range(options.senders)
        ]
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
            match = re.search(r"2xx (\d+)", open(f"{rig.work}/send-{index}.out", errors="replace").read())
            acknowledged_total += int(match.group(1)) if match else 0
        print(f"outage: {acknowledged_total} acknowledged in {time.time() - started:.0f} s; states {rig.by_state()}")
        sink = rig.start_sink()
        drained = rig.drained(1800)
        after = rig.by_state()
        rig.stop(sink)
        delivered = {record.get("delivery_id") for record in rig.acknowledged_by_sink()}
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
        rig.close(options.keep)


if __name__ == "__main__":
    sys.exit(main())
