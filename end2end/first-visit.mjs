// What a citizen's phone transfers on a first visit to a page, measured
// from outside: Chromium with a fresh profile opens the page through a proxy
// that counts every byte the server sends (headers and bodies, as they
// travel: brotli or gzip, as Chromium's `Accept-Encoding: gzip, deflate, br,
// zstd` lets the server choose), until the page, its app, the service
// worker's install (precache and catalogue) and everything else are done
// and the connection has been quiet for two seconds.
//
//   node first-visit.mjs http://127.0.0.1:3000 /s/paspor-baru-jaksel [budget-bytes]
//
// Exits 1 when the total passes the budget.
import net from 'node:net';
import { chromium } from '@playwright/test';
import { chromiumLaunch } from './chromium.mjs';

const [target, path = '/s/paspor-baru-jaksel', budgetArg] = process.argv.slice(2);
if (!target) {
  console.error('usage: node first-visit.mjs SERVER_URL [PATH] [BUDGET_BYTES]');
  process.exit(2);
}
const budget = Number(budgetArg ?? 200_000);
const upstream = new URL(target);

let down = 0;
let up = 0;
let lastByte = Date.now();
const proxy = net.createServer((client) => {
  const server = net.connect(Number(upstream.port), upstream.hostname);
  server.on('data', (chunk) => {
    down += chunk.length;
    lastByte = Date.now();
  });
  client.on('data', (chunk) => {
    up += chunk.length;
    lastByte = Date.now();
  });
  client.pipe(server);
  server.pipe(client);
  const close = () => {
    client.destroy();
    server.destroy();
  };
  client.on('error', close);
  server.on('error', close);
});
await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${proxy.address().port}`;

const browser = await chromium.launch(chromiumLaunch);
const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
const page = await context.newPage();
const files = [];
page.on('requestfinished', async (request) => {
  const response = await request.response();
  const sizes = await request.sizes();
  files.push({
    url: new URL(request.url()).pathname,
    encoding: response?.headers()['content-encoding'] ?? '-',
    bytes: sizes.responseBodySize + sizes.responseHeadersSize,
  });
});
await page.goto(base + path, { waitUntil: 'load' });
await page.waitForSelector('html[data-app]', { timeout: 120_000 });
await page.evaluate(() => navigator.serviceWorker?.ready);
while (Date.now() - lastByte < 2_000) await new Promise((r) => setTimeout(r, 250));
await browser.close();
proxy.close();

const page_bytes = files.reduce((s, f) => s + f.bytes, 0);
console.log(`first visit to ${path}, as the page fetched it:`);
for (const f of files.sort((a, b) => b.bytes - a.bytes)) {
  console.log(`  ${String(f.bytes).padStart(9)}  ${f.encoding.padEnd(5)} ${f.url}`);
}
console.log(`  ${String(Math.max(0, down - page_bytes)).padStart(9)}  the service worker's install (precache, catalogue) and the rest`);
const kb = (n) => (n / 1000).toFixed(1);
console.log(`bytes on the wire from the server: ${down} (${kb(down)} KB; sent to it: ${kb(up)} KB); budget ${kb(budget)} KB`);
if (down > budget) {
  console.error('over budget');
  process.exit(1);
}
