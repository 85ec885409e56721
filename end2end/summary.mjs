// Prints the browser suite's outcome as one plain line CI can read:
// "N passed, N failed".
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(readFileSync(new URL('./test-results/results.json', import.meta.url)));
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        const status = test.results?.at(-1)?.status;
        if (status === 'passed') passed++;
        else if (status !== 'skipped') failed++;
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites ?? []) walk(suite);
} catch (e) {
  console.log(`browser suite: no report (${e.message})`);
  failed++;
}
console.log(`browser suite (Playwright): ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
