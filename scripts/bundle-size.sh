#!/usr/bin/env bash
# What a citizen's phone transfers on a first visit to a rating page, on the
# wire, from the running release server: Chromium with a fresh profile
# through a byte-counting proxy (end2end/first-visit.mjs). Fails over the
# budget (200 KB = 200,000 bytes).
#
#   make bundle-size   (builds the release, precompressed, into target/site-release,
#                       then runs: scripts/bundle-size.sh target/site-release)
set -euo pipefail
cd "$(dirname "$0")/.."
SITE=${1:-target/site-release}
BUDGET=${BUDGET_BYTES:-200000}
BIN=${SUARA_BIN:-target/release/suara}
DIR=$(mktemp -d -t suara-size-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$DIR/suara.db"
"$BIN" seed-demo --empty >/dev/null
"$BIN" serve --addr "127.0.0.1:$PORT" --site-root "$SITE" >"$DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
status=0
for page in /s/paspor-baru-jaksel /k/paspor-baru-jaksel /; do
  node end2end/first-visit.mjs "http://127.0.0.1:$PORT" "$page" "$BUDGET" || status=1
done
exit $status
