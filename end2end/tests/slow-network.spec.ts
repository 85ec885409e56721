// A cheap phone on weak rural 3G (400 kbit/s, 300 ms): the server's form is
// on screen long before the app arrives, and people answer it. Nothing they
// chose, typed or pressed while the app loaded may be lost.
import { test, expect, Page, BrowserContext, APIRequestContext, request as requests } from './support/fixtures';

const SLOW = { offline: false, latency: 300, downloadThroughput: 50_000, uploadThroughput: 50_000 };
const FAST = { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 };

async function slowPhone(context: BrowserContext, url: string) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW);
  await page.goto(url, { waitUntil: 'commit' });
  await expect(page.locator('form.rating')).toBeVisible();
  return { page, fast: () => cdp.send('Network.emulateNetworkConditions', FAST) };
}

async function appReady(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.hasAttribute('data-app'));
}

/** An auditor's API session (the sign-in form, as a browser posts it). */
async function auditor(baseURL: string): Promise<APIRequestContext> {
  const api = await requests.newContext({ baseURL });
  const r = await api.post('/login', {
    form: { email: 'auditor@suara.test', password: 'suara-demo-2026' },
    headers: { origin: baseURL },
    maxRedirects: 0,
  });
  expect(r.status()).toBe(303);
  return api;
}

/** The exported responses whose comment is `comment`. */
async function arrived(api: APIRequestContext, comment: string) {
  const jsonl = await (await api.get('/api/v1/export?format=jsonl&service=paspor-hilang-jaksel')).text();
  return jsonl
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
    .filter((r) => r.comment === comment);
}

test('answers given while the app loads stay chosen and arrive', async ({ browser, baseURL }) => {
  const context = await browser.newContext();
  const { page, fast } = await slowPhone(context, '/s/paspor-hilang-jaksel');
  const comment = `Dijawab sebelum aplikasi siap ${Date.now()}`;
  await page.locator('label[for="U1-3"]').click();
  await page.locator('label[for="U3-2"]').click();
  await page.getByLabel('Komentar atau pengaduan').fill(comment);
  await page.locator('label[for="profile-sex-female"]').click();
  await page.locator('label[for="profile-education-SMA"]').click();
  // All of it happened on the server's markup, before the app was there.
  expect(await appReady(page)).toBe(false);

  await fast();
  await expect(page.locator('form[data-ready="true"]')).toBeVisible({ timeout: 60_000 });
  expect(await appReady(page)).toBe(true);
  await expect(page.locator('#U1-3')).toBeChecked();
  await expect(page.locator('#U3-2')).toBeChecked();
  await expect(page.getByLabel('Komentar atau pengaduan')).toHaveValue(comment);
  await expect(page.locator('#profile-sex-female')).toBeChecked();
  await expect(page.locator('#profile-education-SMA')).toBeChecked();

  await page.getByRole('button', { name: 'Kirim', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Terima kasih!' })).toBeVisible();
  const api = await auditor(baseURL!);
  await expect.poll(async () => (await arrived(api, comment)).length, { timeout: 30_000 }).toBe(1);
  const [row] = await arrived(api, comment);
  expect(row.scores).toEqual({ U1: 3, U3: 2 });
  expect(row.respondent).toEqual({ sex: 'female', education: 'SMA' });
  await api.dispose();
  await context.close();
});

test('"send" pressed before the app is ready is sent once it is', async ({ browser, baseURL }) => {
  const context = await browser.newContext();
  const { page, fast } = await slowPhone(context, '/s/paspor-hilang-jaksel');
  const comment = `Dikirim sebelum aplikasi siap ${Date.now()}`;
  await page.locator('label[for="U2-4"]').click();
  await page.getByLabel('Komentar atau pengaduan').fill(comment);
  await page.getByRole('button', { name: 'Kirim', exact: true }).click();
  // The press is held, not a page load that would lose the answers.
  expect(await appReady(page)).toBe(false);
  await expect(page).toHaveURL(/\/s\/paspor-hilang-jaksel$/);

  await fast();
  await expect(page.getByRole('heading', { name: 'Terima kasih!' })).toBeVisible({ timeout: 60_000 });
  const api = await auditor(baseURL!);
  await expect.poll(async () => (await arrived(api, comment)).length, { timeout: 30_000 }).toBe(1);
  expect((await arrived(api, comment))[0].scores).toEqual({ U2: 4 });
  await api.dispose();
  await context.close();
});

test('a complaint written and sent before the app is ready is kept with its code and arrives', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW);
  await page.goto('/s/paspor-hilang-jaksel/pengaduan', { waitUntil: 'commit' });
  await expect(page.locator('form.complaint')).toBeVisible();
  const text = `Ditulis sebelum aplikasi siap, loket 4, nomor ${Date.now().toString(36)}`;
  await page.getByLabel('Apa yang terjadi?').fill(text);
  await page.getByLabel('Waktu Penyelesaian').check();
  await page.getByLabel('Rahasia').check();
  await page.getByRole('button', { name: 'Kirim pengaduan' }).click();
  // Held, not posted: the app keeps it and makes the code once it is there.
  expect(await appReady(page)).toBe(false);
  await expect(page).toHaveURL(/\/s\/paspor-hilang-jaksel\/pengaduan$/);

  await cdp.send('Network.emulateNetworkConditions', FAST);
  const receipt = page.locator('[data-figure="receipt"]');
  await expect(receipt).toBeVisible({ timeout: 60_000 });
  const code = (await receipt.locator('[data-figure="receipt-code"]').textContent())!.trim();
  await expect(receipt.locator('[data-figure="receipt-status"]')).toHaveText('Sudah diterima unit.', { timeout: 30_000 });
  const api = await auditor(baseURL!);
  const v = await (await api.get(`/api/v1/complaints/${code}`)).json();
  expect(v.text).toBe(text);
  expect(v.items).toEqual(['U3']);
  expect(v.privacy).toBe('rahasia');
  await api.dispose();
  await context.close();
});
