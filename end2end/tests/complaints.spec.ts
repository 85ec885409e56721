// Complaints on a phone: the citizen follows one by its tracking code, the
// unit head works it to an answer with plain forms, the citizen confirms and
// rates it; a forward shows the citizen where it went and why. Every page
// passes axe-core in both languages at 320 px.
import { test, expect, signIn, Page, APIRequestContext } from './support/fixtures';
import AxeBuilder from '@axe-core/playwright';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A tracking code as a device makes one: 11 random characters and the Luhn mod 32 check. */
function newCode(): string {
  const values = Array.from(crypto.getRandomValues(new Uint8Array(11)), (b) => b % 32);
  let sum = 0;
  let double = true;
  for (const v of [...values].reverse()) {
    const addend = v * (double ? 2 : 1);
    double = !double;
    sum += Math.floor(addend / 32) + (addend % 32);
  }
  const chars = [...values, (32 - (sum % 32)) % 32].map((v) => ALPHABET[v]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

async function file(request: APIRequestContext, service: string, text: string): Promise<string> {
  const catalog = await (await request.get('/api/v1/catalog')).json();
  let serviceId = '';
  for (const a of catalog.agencies)
    for (const u of a.units) for (const s of u.services) if (s.code === service) serviceId = s.id;
  const code = newCode();
  const r = await request.post('/api/v1/complaints', {
    data: {
      complaints: [
        {
          id: crypto.randomUUID(),
          code,
          service_id: serviceId,
          items: ['U3'],
          text,
          privacy: 'anonim',
          channel: 'phone',
          submitted_at: new Date().toISOString(),
        },
      ],
    },
  });
  expect(r.status()).toBe(200);
  expect((await r.json()).results[0].status).toBe('accepted');
  return code;
}

async function noViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

async function moveTo(page: Page, state: string, note = '') {
  await page.getByLabel('Ubah status menjadi').selectOption(state);
  await page.getByLabel('Catatan untuk warga').fill(note);
  await page.getByRole('button', { name: 'Simpan' }).click();
  await expect(page.getByRole('status')).toHaveText('Tersimpan.');
  await expect(page.locator('[data-figure="state"]')).toHaveAttribute('data-state', state);
}

test('a unit head answers a complaint and the citizen confirms it by its code', async ({ browser, request }) => {
  const code = await file(request, 'paspor-baru-jaksel', 'Mesin antrean rusak sejak Senin, hubungi 081234567890.');
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const citizen = await phone.newPage();
  // Typed as a person reads it off a receipt: lower case, no hyphens.
  await citizen.goto('/pengaduan');
  await citizen.getByLabel('Kode pelacakan').fill(code.replaceAll('-', '').toLowerCase());
  await citizen.getByRole('button', { name: 'Lihat pengaduan' }).click();
  await expect(citizen.locator('[data-figure="code"]')).toHaveText(code);
  await expect(citizen.locator('[data-figure="state"]')).toHaveText('Diterima');
  await expect(citizen.locator('[data-figure="deadline"]')).toContainText(/\d{4}-\d{2}-\d{2}/);
  await expect(citizen.locator('[data-figure="text"]')).toContainText('[telepon]');

  const staff = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const head = await staff.newPage();
  await signIn(head, 'kepala.jaksel@suara.test');
  const open = head.locator('[data-figure="complaints-open"]');
  await expect(open).not.toHaveText('0');
  // Live: another complaint arrives and the count follows, without a reload.
  await expect(head.locator('body')).toHaveAttribute('data-live', 'true');
  const before = Number(await open.textContent());
  await file(request, 'paspor-baru-jaksel', 'Petugas loket 1 tidak ada di tempat selama satu jam.');
  await expect(open).toHaveText(String(before + 1));
  await head.getByRole('link', { name: 'Antrean pengaduan' }).click();
  await head.getByRole('link', { name: code }).click();
  await expect(head.locator('[data-figure="full-text"]')).toContainText('081234567890');
  await noViolations(head);
  await moveTo(head, 'diverifikasi');
  await moveTo(head, 'ditindaklanjuti');
  await moveTo(head, 'dijawab', 'Mesin antrean sudah diganti hari ini.');

  await citizen.reload();
  await expect(citizen.locator('[data-figure="state"]')).toHaveText('Dijawab');
  await expect(citizen.locator('.messages')).toContainText('Mesin antrean sudah diganti hari ini.');
  await noViolations(citizen);
  await citizen.getByRole('button', { name: 'Ya, masalah saya sudah selesai' }).click();
  await expect(citizen.locator('[data-figure="state"]')).toHaveText('Selesai');
  await citizen.getByLabel('4 – Sangat baik').check();
  await citizen.getByRole('button', { name: 'Kirim' }).click();
  await expect(citizen.locator('[data-figure="rating"]')).toHaveText('4');

  await head.goto('/pengaduan?state=selesai');
  await expect(head.locator('[data-figure="queue"] li[data-state="selesai"]')).toContainText(code);
  await phone.close();
  await staff.close();
});

test('a forward to another unit is seen by the citizen with its reason', async ({ browser, request }) => {
  const code = await file(request, 'paspor-baru-jaksel', 'Paspor saya diterbitkan di Bandung tetapi salah nama.');
  const staff = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const head = await staff.newPage();
  await signIn(head, 'kepala.jaksel@suara.test');
  await head.goto(`/pengaduan/${code}`);
  await head.getByLabel('Ubah status menjadi').selectOption('dialihkan');
  await head.getByLabel('Catatan untuk warga').fill('Paspor ini diterbitkan Kanim Bandung.');
  await head.getByLabel('Alihkan ke unit (untuk Dialihkan)').selectOption('kanim-bandung');
  await head.getByRole('button', { name: 'Simpan' }).click();
  // Not this unit's any more: it sees what the citizen sees.
  await expect(head.locator('[data-figure="state"]')).toHaveText('Dialihkan');
  await expect(head.locator('form[data-form="move"]')).toHaveCount(0);

  const citizen = await (await browser.newContext({ viewport: { width: 320, height: 640 } })).newPage();
  await citizen.goto(`/pengaduan/${code}`);
  await expect(citizen.locator('[data-figure="unit"]')).toContainText('Bandung');
  await expect(citizen.locator('[data-figure="timeline"]')).toContainText('Paspor ini diterbitkan Kanim Bandung.');
  await noViolations(citizen);
  await staff.close();
});

test('after a bad rating a citizen files a complaint and keeps its code from the receipt', async ({ browser }) => {
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await phone.newPage();
  await page.goto('/s/paspor-baru-jaksel');
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  await page.getByRole('group', { name: 'Waktu Penyelesaian' }).getByRole('radio').nth(0).check();
  await page.getByRole('button', { name: 'Kirim' }).click();
  await expect(page.getByRole('heading', { name: 'Terima kasih!' })).toBeVisible();
  await page.getByRole('link', { name: 'Ada masalah dengan layanan ini? Sampaikan pengaduan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sampaikan pengaduan');
  await noViolations(page);
  await page.getByLabel('Apa yang terjadi?').fill('Loket 3 tutup pukul 11, antrean dipindah tanpa pemberitahuan.');
  await page.getByLabel('Waktu Penyelesaian').check();
  await expect(page.getByLabel('Anonim')).toBeChecked();
  await page.getByRole('button', { name: 'Kirim pengaduan' }).click();
  const receipt = page.locator('[data-figure="receipt"]');
  await expect(receipt).toBeVisible();
  const code = (await page.locator('.receipt-code').textContent())!.trim();
  expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await expect(receipt.locator('svg')).toBeVisible();
  await noViolations(page);
  // Later, by the code alone.
  const later = await (await browser.newContext({ viewport: { width: 320, height: 640 } })).newPage();
  await later.goto(`/pengaduan/${code}`);
  await expect(later.locator('[data-figure="state"]')).toHaveText('Diterima');
  await phone.close();
});

for (const lang of ['id', 'en']) {
  test(`complaint pages (${lang}) have no accessibility violations at 320 px`, async ({ page, context, baseURL, request }) => {
    const code = await file(request, 'ktp-el-bandung', 'Antrean KTP-el sangat lama di loket 1.');
    await context.addCookies([{ name: 'suara_lang', value: lang, url: baseURL! }]);
    await page.setViewportSize({ width: 320, height: 640 });
    for (const path of ['/pengaduan', `/pengaduan/${code}`, `/pengaduan/${code}?baru=1`, '/pengaduan/ZZZZ-ZZZZ-ZZZZ', '/s/paspor-baru-jaksel/pengaduan']) {
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.locator('h1')).toBeVisible();
      expect(await page.locator('script[type="module"]').count()).toBe(0);
      await noViolations(page);
    }
  });
}
