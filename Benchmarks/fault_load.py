"""What the fault scripts (kill-rounds.py, disk-faults.py) send: distinct signed payment_intent.succeeded events,
from keep-alive TLS connections, recording what the gateway answered."""

import hashlib
import hmac
import http.client
import json
import os
import random
import ssl
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(ROOT, "Tests/Fixtures/stripe-events/payment_intent.succeeded.json")


def hookgate_binary():
    """HOOKGATE_BIN, else the release build, else the debug build; None if there is none."""
    for candidate in (
        os.environ.get("HOOKGATE_BIN"),
        os.path.join(ROOT, ".build-release/release/hookgate"),
        os.path.join(ROOT, ".build/debug/hookgate"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


class Events:
    """Distinct signed payment_intent.succeeded events made from the fixture, one payment each."""

    def __init__(self, secret):
        self.secret = secret
        self.template = json.load(open(FIXTURE))
        self.counter = 0
        self.lock = threading.Lock()
        self.prefix = "%08x" % random.getrandbits(32)

    def next(self):
        with self.lock:
            self.counter += 1
            number = self.counter
        event = dict(self.template)
        event["id"] = "evt_kill%s%08d" % (self.prefix, number)
        event["created"] = int(time.time())
        data_object = dict(event["data"]["object"])
        data_object["id"] = "pi_kill%s%08d" % (self.prefix, number)
        event["data"] = dict(event["data"], object=data_object)
        body = json.dumps(event, separators=(",", ":")).encode()
        timestamp = str(int(time.time()))
        mac = hmac.new(self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        return event["id"], body, "t=%s,v1=%s" % (timestamp, mac)


class Load:
    """`connections` threads, each POSTing events one after another on a keep-alive TLS connection, reconnecting
    when the gateway is gone, until stopped; records the ids answered 200 and counts every answer by status and
    error code (and connection errors as "error")."""

    def __init__(self, port, cafile, events, connections):
        self.port = port
        self.context = ssl.create_default_context(cafile=cafile)
        self.events = events
        self.acknowledged = set()
        self.answers = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(connections)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def counts(self):
        """The answers so far, by status and error code."""
        with self.lock:
            return dict(self.answers)

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=40)

    def run(self):
        connection = None
        while not self.stopping.is_set():
            try:
                if connection is None:
                    connection = http.client.HTTPSConnection(
                        "localhost", self.port, context=self.context, timeout=30
                    )
                event_id, body, signature = self.events.next()
                connection.request(
                    "POST",
                    "/webhooks/stripe",
                    body=body,
                    headers={"content-type": "application/json", "stripe-signature": signature},
                )
                response = connection.getresponse()
                answer = json.loads(response.read())
                with self.lock:
                    if response.status == 200 and answer.get("id") == event_id:
                        self.acknowledged.add(event_id)
                    key = f'{response.status} {answer.get("error", "")}'.strip()
                    self.answers[key] = self.answers.get(key, 0) + 1
            except (OSError, http.client.HTTPException, ValueError):
                with self.lock:
                    self.answers["error"] = self.answers.get("error", 0) + 1
                if connection is not None:
                    connection.close()
                connection = None
                time.sleep(0.05)
        if connection is not None:
            connection.close()
