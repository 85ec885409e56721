#!/usr/bin/env bash
# What a citizen's phone downloads on a first visit to a rating page: the
# wasm, js and css of a release build, gzip-compressed (as a server or CDN
# would send them). Fails when the total passes the budget (300 KB).
#
#   make bundle-size   (builds the release front end into target/site-release,
#                       then runs: scripts/bundle-size.sh target/site-release)
set -euo pipefail
SITE=${1:-target/site}
BUDGET_KB=${BUDGET_KB:-300}
total=0
printf '%-40s %10s %10s\n' file raw gzip
for f in "$SITE"/pkg/*.wasm "$SITE"/pkg/*.js "$SITE"/pkg/*.css; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total=$((total + gz))
  printf '%-40s %10d %10d\n' "${f#"$SITE"/}" "$raw" "$gz"
done
kb=$(awk "BEGIN { printf \"%.1f\", $total / 1024 }")
echo "first-visit transfer (wasm + js + css, gzip -9): $kb KB (budget $BUDGET_KB KB)"
if [ "$total" -gt $((BUDGET_KB * 1024)) ]; then
  echo "over budget" >&2
  exit 1
fi
