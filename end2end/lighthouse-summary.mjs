// Prints Lighthouse's scores and LCP for one page over several runs (the
// first run of a fresh Chromium is often slow), with their medians, and
// exits 1 when a median misses Suara's targets.
//
//   node lighthouse-summary.mjs PAGE run1.json run2.json run3.json
import { readFileSync } from 'node:fs';

const [page, ...files] = process.argv.slice(2);
const TARGETS = { performance: 95, accessibility: 100, 'best-practices': 100, seo: 95 };
const runs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const score = (r, c) => Math.round((r.categories[c]?.score ?? 0) * 100);
const lcp = (r) => r.audits['largest-contentful-paint'].numericValue / 1000;

console.log(`${page}`);
for (const [i, r] of runs.entries()) {
  const parts = Object.keys(TARGETS).map((c) => `${c} ${score(r, c)}`);
  console.log(`  run ${i + 1}: ${parts.join(', ')}, LCP ${lcp(r).toFixed(2)} s`);
}
let ok = true;
const parts = Object.entries(TARGETS).map(([c, target]) => {
  const m = median(runs.map((r) => score(r, c)));
  if (m < target) ok = false;
  return `${c} ${m}${m < target ? ` (target ${target})` : ''}`;
});
console.log(`  median: ${parts.join(', ')}, LCP ${median(runs.map(lcp)).toFixed(2)} s`);
for (const r of runs) {
  for (const [c] of Object.entries(TARGETS)) {
    for (const ref of r.categories[c]?.auditRefs ?? []) {
      const a = r.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 1 && c !== 'performance') {
        console.log(`  ${c}: ${a.id}: ${a.title}`);
      }
    }
  }
}
process.exit(ok ? 0 : 1);
