#!/usr/bin/env bash
# Issue 2's acceptance check: runs the SignatureVerification benchmarks once (release build), then prints
# the p50 wall-clock time per operation of each and the ratio verify(1 secret) / bare HMAC (EVP_MAC reused
# context). Exits 1 when the ratio is above the 1.3 bar. Extra arguments go to `swift package benchmark`.
set -euo pipefail
cd "$(dirname "$0")"
output=$(mktemp)
trap 'rm -f "$output"' EXIT
swift package benchmark --target SignatureVerification --no-progress "$@" | tee "$output"
awk -F'│' '
    /^[A-Za-z]/ { name = $0 }
    $2 ~ /Time \(wall clock\)/ { gsub(/ /, "", $4); gsub(/ /, "", $5); p25[name] = $4; p50[name] = $5; names[++n] = name }
    $2 ~ /Malloc \(total\)/ { gsub(/ /, "", $5); mallocs[name] = $5 }
    END {
        printf "\n%-52s %10s %10s %8s\n", "benchmark", "p50 ns/op", "p25 ns/op", "mallocs"
        for (i = 1; i <= n; i++) printf "%-52s %10s %10s %8s\n", names[i], p50[names[i]], p25[names[i]], mallocs[names[i]]
        bare = "HMAC-SHA256 bare (EVP_MAC reused context)"; verify = "verify, 1 secret"
        if (!(bare in p50) || !(verify in p50)) { print "missing the bare or the verify benchmark"; exit 2 }
        ratio = p50[verify] / p50[bare]
        printf "\nverify, 1 secret / bare HMAC (p50): %d / %d = %.2fx (bar: 1.30x; p25: %.2fx)\n", p50[verify], p50[bare], ratio, p25[verify] / p25[bare]
        exit ratio <= 1.3 ? 0 : 1
    }
' "$output"
