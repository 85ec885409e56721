// The counter and the poster: kiosk mode, QR posters, installability.
import { test, expect, chromium } from './support/fixtures';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { SuaraServer } from './support/server';

test('kiosk: big faces, a fresh form after each response, no second response inside the interval', async ({
  browser,
}) => {
  const server = await SuaraServer.create();
  const context = await browser.newContext({ baseURL: server.url, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto('/k/paspor-baru-jaksel?interval=30');
  await expect(page.locator('form.kiosk[data-ready="true"]')).toBeVisible();
  const first = page.getByRole('group', { name: 'Persyaratan' }).getByRole('radio', { name: 'Sangat sesuai' });
  const box = await page.locator('form.kiosk .option label').first().boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(96);
  await first.check();
  await page.getByLabel('Komentar atau pengaduan').fill('rahasia pengunjung pertama');
  await page.getByRole('button', { name: 'Kirim', exact: true }).click();
  await expect(page.getByText('Terima kasih!')).toBeVisible();
  await expect(page.getByText('rahasia pengunjung pertama')).toHaveCount(0);

  // A few seconds later the form is fresh for the next person.
  await expect(page.locator('form.kiosk')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByLabel('Komentar atau pengaduan')).toHaveValue('');
  await expect(page.locator('form.kiosk input[type="radio"]:checked')).toHaveCount(0);

  // Inside the 30 s interval a second response is refused, politely.
  await first.check();
  await page.getByRole('button', { name: 'Kirim', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('Mohon tunggu beberapa detik sebelum penilaian berikutnya.');

  await expect(page.locator('.outbox-status')).toContainText('0 tanggapan menunggu', { timeout: 20_000 });
  const rows = await server.responses();
  expect(rows).toHaveLength(1);
  expect(rows[0].channel).toBe('kiosk');
  await context.close();
  await server.dispose();
});

test('poster: an A4 sheet whose QR code opens the service, with instructions in both languages', async ({
  page,
  baseURL,
}) => {
  await page.goto('/s/paspor-baru-jaksel/poster');
  await expect(page.getByRole('heading', { level: 1, name: 'Penerbitan Paspor Baru' })).toBeVisible();
  const link = `${baseURL}/s/paspor-baru-jaksel`;
  await expect(page.getByText(link, { exact: true })).toBeVisible();
  await expect(page.locator('.poster-steps[lang="id"] h2')).toHaveText('Pindai kode QR dengan kamera ponsel');
  await expect(page.locator('.poster-steps[lang="en"] h2')).toHaveText("Scan the QR code with your phone's camera");

  // The QR code decodes to the service's public link.
  const qr = page.getByRole('img', { name: `QR: ${link}` });
  const png = PNG.sync.read(await qr.screenshot());
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(decoded?.data).toBe(link);

  // Printed: only the poster, on A4.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('header.top')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Cetak poster' })).toBeHidden();
  const pdf = await page.pdf({ preferCSSPageSize: true });
  expect(pdf.length).toBeGreaterThan(1000);
});

test('installable: a manifest Chromium accepts and an active service worker at the root scope', async ({
  baseURL,
  launchOptions,
}) => {
  // Chromium never offers installation in incognito, which test contexts
  // are: use a real profile.
  const profile = mkdtempSync(path.join(os.tmpdir(), 'suara-profile-'));
  const context = await chromium.launchPersistentContext(profile, { ...launchOptions, baseURL });
  const page = await context.newPage();
  await page.goto('/');
  const manifest = await (await page.request.get('/manifest.webmanifest')).json();
  expect(manifest).toMatchObject({
    name: expect.stringContaining('Suara'),
    short_name: 'Suara',
    start_url: '/',
    display: 'standalone',
    theme_color: '#0b5f4a',
  });
  const sizes = manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`);
  expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
  for (const icon of manifest.icons) {
    expect((await page.request.get(icon.src)).ok()).toBe(true);
  }

  const worker = () =>
    page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return { scope: reg.scope, state: reg.active?.state, url: reg.active?.scriptURL };
    });
  await expect
    .poll(worker)
    .toEqual({ scope: `${baseURL}/`, state: 'activated', url: `${baseURL}/sw.js` });

  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors).toEqual([]);
  await context.close();
  rmSync(profile, { recursive: true, force: true });
});
