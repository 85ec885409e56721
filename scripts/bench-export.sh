#!/usr/bin/env bash
# The CSV export at scale, against a plain `sqlite3 -csv` dump of the same
# rows, measured in the same run on the same database:
#
#   target/release/suara --database-url sqlite://bench.db seed-synthetic --responses 1000000
#   scripts/bench-export.sh bench.db [target/release/suara]
#
# Starts `suara serve` on a free port, downloads /api/v1/export?format=csv
# with an auditor's token (the demo auditor), reads the server's peak
# resident memory (VmHWM) afterwards, then times sqlite3 selecting the same
# rows and columns it reads (responses joined to services, units and
# agencies, in sequence order). Needs curl and sqlite3 (Debian: sqlite3).
set -euo pipefail
db=${1:?usage: scripts/bench-export.sh DB_FILE [SUARA_BINARY]}
bin=${2:-target/release/suara}
url="sqlite://$db"
out=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$out"' EXIT

"$bin" --database-url "$url" seed-demo --empty >/dev/null
token=$("$bin" --database-url "$url" token create --email auditor@suara.test)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" --database-url "$url" serve --addr "127.0.0.1:$port" >"$out/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.2
done
rss_before=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")

now() { date +%s.%N; }
t0=$(now)
curl -fs -H "Authorization: Bearer $token" -D "$out/headers" \
  "http://127.0.0.1:$port/api/v1/export?format=csv" -o "$out/export.csv"
t1=$(now)
peak=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
rows=$(awk 'tolower($1) == "suara-row-count:" {print $2}' "$out/headers" | tr -d '\r')

t2=$(now)
sqlite3 -csv -header "$db" "SELECT r.seq, r.id, a.code, u.code, s.code, r.answered_at_ms, \
  r.received_at_ms, r.content, r.content_hash, r.chain_hash FROM responses r \
  JOIN services s ON s.id = r.service_id JOIN units u ON u.id = s.unit_id \
  JOIN agencies a ON a.id = u.agency_id ORDER BY r.seq" >"$out/baseline.csv"
t3=$(now)

python3 - "$rows" "$t0" "$t1" "$t2" "$t3" "$out/export.csv" "$out/baseline.csv" "$peak" "$rss_before" <<'PY'
import os, sys
rows, t0, t1, t2, t3, export, baseline, peak, before = sys.argv[1:]
e, b = float(t1) - float(t0), float(t3) - float(t2)
es, bs = os.path.getsize(export) / 1e6, os.path.getsize(baseline) / 1e6
print(f"rows exported: {rows}")
print(f"suara CSV export: {es:.0f} MB in {e:.1f} s = {es / e:.1f} MB/s, {int(rows) / e:,.0f} rows/s")
print(f"sqlite3 -csv baseline: {bs:.0f} MB in {b:.1f} s = {bs / b:.1f} MB/s, {int(rows) / b:,.0f} rows/s")
print(f"speed against the baseline: {(es / e) / (bs / b):.2f}x in MB/s, {b / e:.2f}x in rows/s")
print(f"server peak resident memory: {int(peak) / 1024:.0f} MB ({int(before) / 1024:.0f} MB before the export)")
PY
