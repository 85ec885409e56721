#!/usr/bin/env bash
# Lighthouse (npm, mobile defaults, Debian's Chromium) on the citizen pages
# of the release build, three runs each: prints each run's scores and LCP
# and their medians; fails when a median misses the targets (performance
# >= 95, accessibility 100, best practices 100, SEO >= 95).
#
#   make lighthouse   (builds the release, then runs: scripts/lighthouse.sh target/site)
set -euo pipefail
cd "$(dirname "$0")/.."
SITE=${1:-target/site}
# shellcheck source=scripts/serve-release.sh
. scripts/serve-release.sh
FLAGS="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
# Responses and the demo unit's published quarter with its follow-up plan,
# so its public page is measured as a visitor sees it in use.
"$BIN" seed-demo --responses 3000 >/dev/null
status=0
for page in / /s/paspor-baru-jaksel /k/paspor-baru-jaksel /s/paspor-baru-jaksel/pengaduan /pengaduan /publik /publik/kanim-jakarta-selatan /layar/kanim-jakarta-selatan; do
  for run in 1 2 3; do
    end2end/node_modules/.bin/lighthouse "http://127.0.0.1:$PORT$page" --quiet \
      --chrome-flags="$FLAGS" --output=json --output-path="$DIR/run-$run.json" \
      --only-categories=performance,accessibility,best-practices,seo
  done
  node end2end/lighthouse-summary.mjs "$page" "$DIR"/run-{1,2,3}.json || status=1
done
exit $status
