#!/usr/bin/env python3
"""Issue 15, point 3: the data directory's filesystem fills up under load and is freed, then turns read-only
under load. Needs root (it mounts filesystems).

    Benchmarks/disk-faults.py [--connections 16] [--keep]

The real binary (HOOKGATE_BIN, else .build-release/release/hookgate, else .build/debug/hookgate) runs `serve`
on the shipped configuration in a temporary directory, its data directory on a filesystem of its own, with
`hookgate sink` as the payment system, under a load of distinct signed events from --connections keep-alive
TLS connections.

1. Full: a 64 MiB tmpfs, filled with a ballast file but for 2 MiB. Once the gateway answers
   `503 store_unavailable`, the load goes on 3 s; then the ballast is deleted and the time until it answers 200
   again, without a restart, is measured.
2. Read-only: a 64 MiB ext4 image mounted with errors=remount-ro, made read-only under load by an ext4 error
   (/sys/fs/ext4/DEV/trigger_fs_error, as a failing disk does). Such a filesystem stays read-only until it is
   unmounted and checked (and Linux refuses a plain `remount,ro` while the gateway has its database open for
   writing), so the gateway is stopped, the image checked with e2fsck and mounted again, and `serve` started
   on it.

Each time every stored delivery must then be delivered, and every event answered 200 stored and delivered
(lost: 0); every other answer must be `503 store_unavailable` or a refused connection. Prints what was answered
in each phase; exits 1 if anything acknowledged is lost or another answer comes. Unmounts and stops everything
it started.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time

from fault_load import Events, Load, hookgate_binary
from fault_rig import Rig

SECRET = "whsec_diskFaultsOnlyNotARealSecret01234567"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("disk-faults: needs root (it mounts a tmpfs and an ext4 image)")
    binary = hookgate_binary() or sys.exit("disk-faults: no hookgate binary (swift build first)")
    mounts = []
    failed = []
    print(f"disk-faults: {binary}, {options.connections} connections")
    rig = Rig(binary, "disk-faults", SECRET)

    def run(*command):
        subprocess.run(command, check=True, capture_output=True)

    def mount(*arguments, target):
        os.makedirs(target, exist_ok=True)
        run("mount", *arguments, target)
        mounts.append(target)

    def unmount(target):
        run("umount", target)
        mounts.remove(target)

    try:
        rig.start_sink()
        events = Events(SECRET)

        def wait_for(condition, seconds):
            deadline = time.time() + seconds
            while time.time() < deadline:
                if condition():
                    return True
                time.sleep(0.1)
            return False

        def delivered_everything(data, acknowledged, phase):
            rig.drained(120, data=data)
            stored = {delivery["event_id"] for delivery in rig.deliveries(data=data)}
            time.sleep(1)
            received = {(record.get("event") or {}).get("id") for record in rig.acknowledged_by_sink()}
            lost = acknowledged - stored
            undelivered = acknowledged - received
            print(
                f"{phase}: {len(acknowledged)} acknowledged, {len(stored)} stored, states {rig.by_state(data)}, "
                f"{len(lost)} acknowledged not stored, {len(undelivered)} acknowledged not delivered"
            )
            if lost or undelivered:
                failed.append(f"{phase}: acknowledged events lost")

        def check_answers(load, phase):
            other = {k: v for k, v in load.counts().items() if k not in ("200", "503 store_unavailable", "error")}
            if other:
                failed.append(f"{phase}: other answers {other}")

        # 1. The filesystem fills up, then is freed.
        full = os.path.join(rig.work, "full")
        mount("-t", "tmpfs", "-o", "size=64m", "tmpfs", target=full)
        data = os.path.join(full, "data")
        gateway = rig.start_gateway(data)
        free = shutil.disk_usage(full).free
        with open(os.path.join(full, "ballast"), "wb") as ballast:
            ballast.write(b"\0" * (free - 2 * 1024 * 1024))
        load = Load(rig.port, rig.cafile, events, options.connections)
        load.start()
        started = time.time()
        became_full = wait_for(lambda: load.counts().get("503 store_unavailable", 0) > 0, 120)
        print(f"full: first 503 store_unavailable after {time.time() - started:.1f} s ({load.counts()})")
        if not became_full:
            failed.append("full: no 503 within 120 s")
        time.sleep(3)
        refused_before = load.counts().get("503 store_unavailable", 0)
        acknowledged_before = len(load.acknowledged)
        os.remove(os.path.join(full, "ballast"))
        freed = time.time()
        recovered = wait_for(lambda: len(load.acknowledged) > acknowledged_before + 50, 60)
        print(
            f"full: {refused_before} answered 503 while full; after the ballast was deleted, answered 200 again "
            + (f"within {time.time() - freed:.1f} s, without a restart" if recovered else "NOT within 60 s")
        )
        if not recovered:
            failed.append("full: no recovery within 60 s of freeing space")
        time.sleep(2)
        load.stop()
        print(f"full: answers {load.counts()}")
        check_answers(load, "full")
        delivered_everything(data, load.acknowledged, "full")
        rig.stop(gateway)
        unmount(full)

        # 2. The filesystem turns read-only (an ext4 error), then is checked and mounted again.
        image = os.path.join(rig.work, "ext4.img")
        with open(image, "wb") as f:
            f.truncate(64 * 1024 * 1024)
        run("mkfs.ext4", "-q", image)
        readonly = os.path.join(rig.work, "readonly")
        mount("-o", "loop,errors=remount-ro", image, target=readonly)
        device = os.path.basename(next(
            line.split()[0] for line in open("/proc/mounts") if line.split()[1] == readonly
        ))
        data = os.path.join(readonly, "data")
        gateway = rig.start_gateway(data)
        load = Load(rig.port, rig.cafile, events, options.connections)
        load.start()
        time.sleep(3)
        with open(f"/sys/fs/ext4/{device}/trigger_fs_error", "w") as trigger:
            trigger.write("disk-faults\n")
        turned = time.time()
        refused = wait_for(lambda: load.counts().get("503 store_unavailable", 0) > 0, 30)
        print(
            "read-only: " + (f"first 503 store_unavailable {time.time() - turned:.1f} s after the error"
                             if refused else "no 503 within 30 s")
        )
        if not refused:
            failed.append("read-only: no 503 within 30 s")
        time.sleep(3)
        load.stop()
        print(f"read-only: answers {load.counts()}")
        check_answers(load, "read-only")
        rig.stop(gateway)
        unmount(readonly)
        checked = subprocess.run(["e2fsck", "-fy", image], capture_output=True, text=True)
        print(f"read-only: e2fsck exited {checked.returncode} (0: clean, 1: errors corrected)")
        mount("-o", "loop,errors=remount-ro", image, target=readonly)
        gateway = rig.start_gateway(data)
        delivered_everything(data, load.acknowledged, "read-only, after the check and a restart")
        rig.stop(gateway)
        unmount(readonly)

        print("disk-faults: " + ("held" if not failed else "FAILED: " + "; ".join(failed)))
        return 1 if failed else 0
    finally:
        rig.kill_all()
        for target in reversed(mounts):
            subprocess.run(["umount", "-l", target], capture_output=True)
        rig.close(options.keep)


if __name__ == "__main__":
    sys.exit(main())
