#!/usr/bin/env bash
# Fuzzes the public contract: schemathesis generates requests from
# /api/v1/openapi.json (valid and invalid ones) against a running server and
# fails on any 5xx, any answer the document does not describe (status,
# content type, headers, body schema), a valid request refused or an invalid
# one accepted. Signed in as the demo administrator (an API token), so the
# staff routes are reached too; the rate limits are off (one fuzzer from one
# address is a flood by design). Fixed seed: a failure replays. The event
# streams (`/api/v1/events`, a unit's public one) are left out: they never
# end, so every request would wait for the timeout; tests/api cover them.
#
# Usage: scripts/fuzz-api.sh [SUARA_BINARY]   (default target/debug/suara)
# Environment: ST (schemathesis CLI), FUZZ_EXAMPLES (per operation), FUZZ_SEED.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/debug/suara}
ST=${ST:-target/py/bin/st}
DIR=$(mktemp -d -t suara-fuzz-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$DIR/suara.db"
export SUARA_RATE_LIMITS=off
# A catalogue with a few hundred responses, so exports and summaries have rows.
"$BIN" seed-demo --responses 300 >/dev/null
TOKEN=$("$BIN" token create --email admin@suara.test)
"$BIN" serve --addr "127.0.0.1:$PORT" >"$DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 200); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
# Which checks run, and where, is said in scripts/schemathesis.toml.
# One worker: hypothesis describes its strategies with `ast.parse`, which is
# not thread-safe on Python 3.11 ("AST constructor recursion depth mismatch").
status=0
"$ST" --no-color --config-file scripts/schemathesis.toml run \
  "http://127.0.0.1:$PORT/api/v1/openapi.json" \
  --url "http://127.0.0.1:$PORT" \
  -H "Authorization: Bearer $TOKEN" \
  --exclude-path /api/v1/events \
  --exclude-path '/api/v1/public/units/{code}/events' \
  --phases coverage,fuzzing \
  --max-examples "${FUZZ_EXAMPLES:-60}" \
  --seed "${FUZZ_SEED:-2017}" \
  --workers 1 \
  --output-sanitize true || status=$?
if [ "$status" -ne 0 ]; then
  echo "fuzz-api: schemathesis found failures (above); the server's log:" >&2
  grep -E 'ERROR|panicked' "$DIR/server.log" | tail -20 >&2 || true
fi
exit "$status"
