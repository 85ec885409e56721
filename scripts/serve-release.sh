# Sourced by the scripts that measure the release build: starts
# `$BIN serve` over a fresh SQLite file with the demo catalogue (no
# responses) on a free loopback port, for the site at $SITE; sets PORT and
# DIR, and stops the server and removes DIR on exit.
BIN=${SUARA_BIN:-target/release/suara}
DIR=$(mktemp -d -t suara-measure-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$DIR/suara.db"
"$BIN" seed-demo --empty >/dev/null
"$BIN" serve --addr "127.0.0.1:$PORT" --site-root "$SITE" >"$DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
