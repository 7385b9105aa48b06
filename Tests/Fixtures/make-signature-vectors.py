#!/usr/bin/env python3
"""Writes stripe-vectors.json: Stripe signatures computed with Python's hmac module, independently of
Hookgate's code. Run from this folder: python3 make-signature-vectors.py

Each vector's v1 equals what OpenSSL's command line gives, e.g.
  printf '%s.' "$t" | cat - payment_intent.succeeded.json | openssl dgst -sha256 -hmac "$secret"
"""
import hashlib, hmac, json

SECRETS = ["whsec_test_vector_secret_0001", "whsec_rotated_secret_9f8e7d6c5b4a"]


def sign(secret, t, body):
    return hmac.new(secret.encode(), str(t).encode() + b"." + body, hashlib.sha256).hexdigest()


def two_kb_body():
    # A payment_intent.succeeded event padded to 2,048 bytes, as in the benchmark.
    head = b'{\n  "id": "evt_vector_2kb",\n  "object": "event",\n  "type": "payment_intent.succeeded",\n  "padding": "'
    tail = b'"\n}\n'
    return head + b"x" * (2048 - len(head) - len(tail)) + tail


bodies = {
    "payment_intent.succeeded.json": open("payment_intent.succeeded.json", "rb").read(),
    "payment_intent.payment_failed.json": open("payment_intent.payment_failed.json", "rb").read(),
    "charge.refunded.json": open("charge.refunded.json", "rb").read(),
    "invoice.paid.json": open("invoice.paid.json", "rb").read(),
}
vectors = []
for index, (name, body) in enumerate(sorted(bodies.items())):
    t = 1700000000 + index * 1111
    secret = SECRETS[index % 2]
    vectors.append({"name": name, "file": name, "secret": secret, "timestamp": t,
                    "header": f"t={t},v1={sign(secret, t, body)}"})
body = two_kb_body()
t = 1795000000
vectors.append({"name": "2 KB body", "body_hex": body.hex(), "secret": SECRETS[0], "timestamp": t,
                "header": f"t={t},v1={sign(SECRETS[0], t, body)}"})
# Rotation: Stripe sends one v1 per active secret, plus (in test mode) a fake v0.
body = bodies["payment_intent.succeeded.json"]
t = 1790000000
vectors.append({"name": "rotation, second secret", "file": "payment_intent.succeeded.json", "secret": SECRETS[1],
                "timestamp": t,
                "header": f"t={t},v1={sign(SECRETS[0], t, body)},v1={sign(SECRETS[1], t, body)},v0=" + "0" * 64})
# Every byte value 0-255 in the body.
body = bytes(range(256))
vectors.append({"name": "all byte values", "body_hex": body.hex(), "secret": SECRETS[0], "timestamp": t,
                "header": f"t={t},v1={sign(SECRETS[0], t, body)}"})
with open("stripe-vectors.json", "w") as out:
    json.dump(vectors, out, indent=2)
    out.write("\n")
