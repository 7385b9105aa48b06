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
import random
import signal
import sys
import time

from fault_load import Events, Load, hookgate_binary
from fault_rig import Rig

SECRET = "whsec_killRoundsOnlyNotARealSecret0123456"


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
    print(f"kill-rounds: {binary}, {options.rounds} rounds, {options.connections} connections, seed {seed}")
    rig = Rig(binary, "kill-rounds", SECRET)
    try:
        sink = rig.start_sink()
        events = Events(SECRET)
        acknowledged = set()
        leased_at_kills = set()
        for round_number in range(1, options.rounds + 1):
            gateway = rig.start_gateway()
            load = Load(rig.port, rig.cafile, events, options.connections)
            load.start()
            delay = random.uniform(0.3, 2.0)
            time.sleep(delay)
            gateway.send_signal(signal.SIGKILL)
            gateway.wait()
            by_state = rig.by_state()
            # Leases of earlier kills may not have expired yet: the new ones are this round's.
            held = {delivery["id"] for delivery in rig.deliveries("--state", "delivering")}
            new = held - leased_at_kills
            leased_at_kills |= held
            load.stop()
            acknowledged |= load.acknowledged
            print(
                f"round {round_number:2}: killed after {delay:.2f} s, {len(load.acknowledged)} acknowledged, "
                f"{len(new)} newly leased at the kill, stored so far {sum(by_state.values())}"
            )

        gateway = rig.start_gateway()
        rig.drained(180)
        rig.stop(gateway)
        rig.stop(sink)

        stored = {delivery["event_id"]: delivery["state"] for delivery in rig.deliveries()}
        received = set()
        times_by_delivery = {}
        for record in rig.acknowledged_by_sink():
            received.add((record.get("event") or {}).get("id"))
            delivery = record.get("delivery_id")
            times_by_delivery[delivery] = times_by_delivery.get(delivery, 0) + 1
        not_stored = [e for e in acknowledged if e not in stored]
        not_delivered = [e for e in acknowledged if e not in received]
        undelivered = sum(1 for state in stored.values() if state != "delivered")
        duplicates = sum(count - 1 for count in times_by_delivery.values())
        duplicated = {delivery for delivery, count in times_by_delivery.items() if count > 1}
        unexplained = duplicated - leased_at_kills
        print(
            f"kill-rounds: {options.rounds} kills, {len(acknowledged)} acknowledged, {len(stored)} stored, "
            f"{len(not_stored)} acknowledged not stored, {len(not_delivered)} acknowledged not delivered, "
            f"{undelivered} stored not delivered, {duplicates} duplicates at the sink "
            f"({len(duplicated)} deliveries, {len(unexplained)} of them not leased at a kill), "
            f"{len(leased_at_kills)} deliveries leased at the kills"
        )
        failed = bool(not_stored or not_delivered or unexplained)
        print("kill-rounds: " + ("FAILED" if failed else "held"))
        return 1 if failed else 0
    finally:
        rig.close(options.keep)


if __name__ == "__main__":
    sys.exit(main())
