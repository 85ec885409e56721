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
exec "$BIN" serve --addr "127.0.0.1:$PORT" --site-root target/site
