"""The gateway under a fault script (kill-rounds.py, disk-faults.py, outage.py, hostile-load.py): `hookgate serve`
on the shipped configuration in a temporary directory, `hookgate sink` as the payment system, and the store
read with `hookgate deliveries`."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from fault_load import ROOT


class Rig:
    """A temporary directory holding the shipped configuration (Config/hookgate.json) and a certificate from
    `hookgate certs dev`, a free port on 127.0.0.1, the payment system's socket in the directory, and every
    process started through it, stopped by close()."""

    def __init__(self, binary, name, secret):
        self.binary = binary
        self.secret = secret
        self.work = tempfile.mkdtemp(prefix=f"hookgate-{name}.")
        self.processes = []
        os.makedirs(os.path.join(self.work, "Config"))
        shutil.copy(os.path.join(ROOT, "Config/hookgate.json"), os.path.join(self.work, "Config"))
        subprocess.run([binary, "certs", "dev"], cwd=self.work, check=True, capture_output=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.cafile = os.path.join(self.work, "certs/dev-ca.pem")
        self.url = f"https://localhost:{self.port}/webhooks/stripe"
        self.socket_path = os.path.join(self.work, "payments.sock")
        self.sink_output = os.path.join(self.work, "sink.jsonl")
        self.data = os.path.join(self.work, "data")

    def environment(self, data=None, secret=None):
        """What `serve` (and `send`) run with: the port, the data directory, the sockets and the secret."""
        return dict(
            os.environ,
            HOOKGATE_LISTEN=f"127.0.0.1:{self.port}",
            HOOKGATE_DATA_DIR=data or self.data,
            HOOKGATE_UPSTREAM_SOCKET=self.socket_path,
            HOOKGATE_ADMIN_SOCKET=os.path.join(self.work, "admin.sock"),
            STRIPE_WEBHOOK_SECRET=secret or self.secret,
        )

    def start(self, arguments, log_name, env=None, stdout=None):
        """Starts `hookgate ARGUMENTS` in the directory, its output appended to LOG_NAME (stdout elsewhere if
        given)."""
        log = open(os.path.join(self.work, log_name), "ab")
        process = subprocess.Popen(
            [self.binary] + arguments, cwd=self.work, env=env or self.environment(), stdout=stdout or log, stderr=log
        )
        self.processes.append(process)
        return process

    def start_gateway(self, data=None):
        """Starts `serve` on DATA (the directory's data/ by default) and waits until it listens."""
        gateway = self.start(["serve"], "serve.log", env=self.environment(data))
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return gateway
            except OSError:
                if gateway.poll() is not None:
                    sys.exit(f"serve exited {gateway.returncode}; see {self.work}/serve.log")
                time.sleep(0.05)
        sys.exit(f"serve did not listen within 30 s; see {self.work}/serve.log")

    def start_sink(self):
        """Starts `hookgate sink` on the socket, its JSON lines in sink.jsonl."""
        return self.start(
            ["sink", "--socket", self.socket_path, "--format", "json"], "sink.log",
            stdout=open(self.sink_output, "ab"),
        )

    @staticmethod
    def stop(process, sig=signal.SIGTERM):
        """Sends SIG and waits for the exit (30 s, then SIGKILL)."""
        process.send_signal(sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def store(self, data=None):
        return os.path.join(data or self.data, "hookgate.sqlite")

    def by_state(self, data=None):
        """`hookgate deliveries stats`: the deliveries by state."""
        result = subprocess.run(
            [self.binary, "deliveries", "stats", "--store", self.store(data), "--json"],
            cwd=self.work, capture_output=True, text=True, check=True,
        )
        return json.loads(result.stdout)["by_state"]

    def deliveries(self, *filters, data=None):
        """`hookgate deliveries list --json` with FILTERS: one dictionary per delivery."""
        result = subprocess.run(
            [self.binary, "deliveries", "list", "--store", self.store(data), "--json", "--limit", "1000000"]
            + list(filters),
            cwd=self.work, capture_output=True, text=True, check=True,
        )
        return [json.loads(line) for line in result.stdout.splitlines()]

    def drained(self, seconds, data=None):
        """Waits (at most SECONDS) until nothing is pending or delivering; the seconds it took, or None."""
        started = time.time()
        while time.time() - started < seconds:
            states = self.by_state(data)
            if states.get("pending", 0) + states.get("delivering", 0) == 0:
                return time.time() - started
            time.sleep(1)
        return None

    def acknowledged_by_sink(self):
        """The records the sink answered 2xx."""
        records = []
        if not os.path.exists(self.sink_output):
            return records
        for line in open(self.sink_output):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if 200 <= record.get("status", 0) < 300:
                records.append(record)
        return records

    def kill_all(self):
        """Kills what still runs."""
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()

    def close(self, keep):
        """Kills what still runs; removes the directory unless KEEP."""
        self.kill_all()
        if keep:
            print(f"kept {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)
