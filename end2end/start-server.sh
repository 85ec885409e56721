#!/usr/bin/env bash
# Starts the built server for the browser tests on port $1, over a fresh
# SQLite database holding the demo catalogue and accounts.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:?port}
BIN=${SUARA_BIN:-target/debug/suara}
DIR=$(mktemp -d -t suara-e2e-XXXXXX)
export DATABASE_URL="sqlite://$DIR/suara.db"
"$BIN" seed-demo --empty
# The default rate limits, but for sign-in: the whole suite signs in from one
# address far more often than any office.
export SUARA_RATE_LIMITS=${SUARA_RATE_LIMITS:-sign-in=300:60/min}
exec "$BIN" serve --addr "127.0.0.1:$PORT" --site-root target/site
