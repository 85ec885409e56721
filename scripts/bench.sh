#!/usr/bin/env bash
# Issue 16's figures in one run, each against a baseline measured in the
# same run, from the release build, everything on 127.0.0.1:
#
#   1. ingest: batches of 500 through the sync API against raw SQLite inserts
#      of the same rows (`suara bench ingest`);
#   2. 200 phones posting one response each (wrk with
#      scripts/load/one-response.lua) against `GET /healthz` at the same
#      concurrency, on a fresh SQLite file;
#   3. for each DATABASE_URL given (seeded with `suara seed-synthetic`), the
#      p50/p95 of every view a unit head opens (`suara bench views`).
#
# Usage: scripts/bench.sh [DATABASE_URL ...]
# Needs: a release build (`make build-release`), wrk (Debian's), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${SUARA_BIN:-target/release/suara}
SITE=${SITE:-target/site}
LOAD_SECONDS=${LOAD_SECONDS:-20}
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }

echo "## Ingest, batches of 500 over HTTP, one client"
"$BIN" bench ingest --responses "${INGEST_RESPONSES:-50000}"

echo
echo "## 200 phones posting one response each, ${LOAD_SECONDS} s, SQLite"
# 200 phones posting from one loopback address is a flood by design here:
# the server is measured without its rate limits.
export SUARA_RATE_LIMITS=off
# shellcheck source=scripts/serve-release.sh
source scripts/serve-release.sh
SERVICE_ID=$(python3 - "$DIR/suara.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT id FROM services WHERE questionnaire_id = 'skm-2017' "
                 "ORDER BY code LIMIT 1").fetchone()[0])
PY
)
floor=$(wrk -t2 -c200 -d"${LOAD_SECONDS}s" "http://127.0.0.1:$PORT/healthz" |
  awk '/Requests\/sec/ {print $2}')
out=$(SERVICE_ID=$SERVICE_ID wrk -t2 -c200 -d"${LOAD_SECONDS}s" --latency \
  -s scripts/load/one-response.lua "http://127.0.0.1:$PORT")
echo "$out" | grep -E "^ +(50|99)%|not accepted|accepted per second"
posted=$(echo "$out" | awk '/accepted per second/ {print $4}')
python3 -c "import sys; p, f = float(sys.argv[1]), float(sys.argv[2]); \
print(f'server floor (GET /healthz, same concurrency): {f:.0f}/s; posting / floor: {p / f:.2f}')" \
  "$posted" "$floor"
kill "$SERVER" 2>/dev/null || true

for url in "$@"; do
  echo
  echo "## Every view a unit head opens"
  RUST_LOG=warn "$BIN" --database-url "$url" bench views --iterations "${VIEW_ROUNDS:-200}" \
    --site-root "$SITE"
done
