import { test, expect, signIn, Page, docShot } from './support/fixtures';
import { readFileSync } from 'node:fs';

const SERVICE = '/s/paspor-baru-jaksel';
const SKM_LABELS = [
  'Persyaratan',
  'Sistem, Mekanisme, dan Prosedur',
  'Waktu Penyelesaian',
  'Biaya/Tarif',
  'Produk Spesifikasi Jenis Pelayanan',
  'Kompetensi Pelaksana',
  'Perilaku Pelaksana',
  'Penanganan Pengaduan, Saran dan Masukan',
  'Sarana dan Prasarana',
];

function jakselCard(page: Page) {
  return page
    .getByRole('region', { name: 'Penerbitan Paspor Baru' })
    .filter({ hasText: 'Jakarta Selatan' });
}

async function responsesShown(page: Page): Promise<number> {
  const text = await jakselCard(page).locator('[data-figure="responses"]').innerText();
  return Number(text);
}

test('a citizen rates a service; the dashboard and the CSV show it', async ({ browser }) => {
  // The unit head's view before.
  const staff = await browser.newContext();
  const head = await staff.newPage();
  await signIn(head, 'kepala.jaksel@suara.test');
  const before = await responsesShown(head);

  // A citizen on a phone rates every standard "very good".
  const citizen = await browser.newContext();
  const page = await citizen.newPage();
  await page.goto(SERVICE);
  await expect(page.getByRole('heading', { level: 1, name: 'Penerbitan Paspor Baru' })).toBeVisible();
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  for (const label of SKM_LABELS) {
    const group = page.getByRole('group', { name: label });
    await group.getByRole('radio').nth(3).check();
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await docShot(page, 'rating-page-phone');
  const comment = `Petugas ramah, antrean "cepat", terima kasih 🙏 ${Date.now()}`;
  await page.getByLabel('Komentar atau pengaduan').fill(comment);
  await page.getByRole('button', { name: 'Kirim', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Terima kasih!' })).toBeVisible();

  // The unit head sees one more response, and the figures it produced.
  // The phone sends it in the background, right away when online.
  await expect
    .poll(async () => {
      await head.reload();
      return responsesShown(head);
    })
    .toBe(before + 1);
  if (before === 0) {
    await expect(jakselCard(head).locator('[data-figure="index"]')).toHaveText('100.00');
    // The card's items are behind a disclosure: open it first.
    await jakselCard(head).locator('details > summary').click();
    await expect(jakselCard(head).getByRole('row', { name: /U1 Persyaratan/ })).toContainText('4.00');
    // One response is far below the unit's sample target (Krejcie–Morgan for
    // 48,000 a year: 381), and one response has no interval.
    await expect(jakselCard(head).locator('[data-figure="sample-target"]')).toHaveText('381');
    await expect(jakselCard(head).locator('[data-flag="provisional"]')).toHaveText(/^Sementara/);
    await expect(jakselCard(head).locator('[data-figure="index-interval"]')).toHaveText('—');
  }

  // The data page's CSV download holds the response, comment intact, with
  // its place in the response chain; the manifest describes the same rows.
  await head.getByRole('link', { name: 'Data dan bukti' }).click();
  await expect(head.getByRole('heading', { level: 1 })).toHaveText('Unduh data dan bukti');
  const upTo = await head.locator('[data-up-to-seq]').textContent();
  const download = head.waitForEvent('download');
  await head.getByRole('button', { name: 'Unduh', exact: true }).click();
  const file = await (await download).path();
  const csv = readFileSync(file, 'utf8');
  expect(csv.split('\r\n')[0]).toMatch(/^seq,id,agency_code,unit_code,service_code,/);
  expect(csv.split('\r\n')[0]).toMatch(/,app_version,device_id,U1,.*,comment,content_hash,chain_hash,flags$/);
  expect(csv).toContain(`"${comment.replaceAll('"', '""')}"`);
  expect(csv).toContain('paspor-baru-jaksel');
  await head.getByRole('button', { name: 'Unduh manifes (JSON)' }).click();
  const manifest = JSON.parse((await head.locator('body').textContent()) ?? '{}');
  expect(String(manifest.up_to_seq)).toBe(upTo);
  expect(manifest.filters.units_in_scope).toEqual(['kanim-jakarta-selatan']);
  await staff.close();
  await citizen.close();
});

test('a unit head does not see another unit', async ({ page }) => {
  await signIn(page, 'kepala.jaksel@suara.test');
  await expect(jakselCard(page)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Perekaman dan Pencetakan KTP-el' })).toHaveCount(0);
});

test('the catalogue can be searched', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('.search[data-ready="true"]')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Perekaman dan Pencetakan KTP-el' })).toBeVisible();
  await page.getByLabel('Cari layanan').fill('paspor');
  await expect(page.getByRole('link', { name: 'Perekaman dan Pencetakan KTP-el' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Penerbitan Paspor Baru' })).toHaveCount(2);
  await page.getByLabel('Cari layanan').fill('tidak ada layanan seperti ini');
  await expect(page.getByRole('status').filter({ hasText: 'layanan' })).toHaveText('Tidak ada layanan yang cocok.');
});

test('a rating with no answer is not sent and says why', async ({ page }) => {
  await page.goto(SERVICE);
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  await page.getByRole('button', { name: 'Kirim', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('Pilih jawaban untuk setidaknya satu pertanyaan.');
  await expect(page).toHaveURL(new RegExp(`${SERVICE}$`));
});

test('English can be chosen and is remembered', async ({ page }) => {
  await page.goto(SERVICE);
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  await page.locator('label[for="U1-3"]').click();
  await page.getByRole('button', { name: 'English' }).click();
  // Switched in place, with no request: what was chosen stays chosen.
  await expect(page.locator('#U1-3')).toBeChecked();
  await expect(page.getByRole('button', { name: 'Submit', exact: true })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Requirements' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Submit', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
  await expect(page.getByRole('button', { name: 'Kirim', exact: true })).toBeVisible();
});

test('staff pages switch language with a plain form: no script in the page', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1, name: 'Masuk' })).toBeVisible();
  expect(await page.locator('script[type="module"]').count()).toBe(0);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Masuk' })).toBeVisible();
});

test('the rating page fits a 320 px screen', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(SERVICE);
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const submit = await page.getByRole('button', { name: 'Kirim', exact: true }).boundingBox();
  expect(submit!.height).toBeGreaterThanOrEqual(44);
});

test('an unknown service says so, with a 404, and leads back to the list', async ({ page }) => {
  for (const path of ['/s/tidak-ada-layanan-ini', '/s/tidak-ada-layanan-ini/poster']) {
    const response = await page.goto(path);
    expect(response!.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Layanan tidak ditemukan.' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Kembali ke daftar layanan' })).toBeVisible();
  }
});
