// Complaints on a phone: the citizen follows one by its tracking code, the
// unit head works it to an answer with plain forms, the citizen confirms and
// rates it; a forward shows the citizen where it went and why. Every page
// passes axe-core in both languages at 320 px.
import { test, expect, signIn, Page, fileComplaint as file, keyOf, noViolations, docShot } from './support/fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A small JPEG whose EXIF carries a GPS position (the server's test fixture). */
const GPS_JPEG = join(__dirname, '../../server/tests/fixtures/gps.jpg');

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
  await docShot(head, 'complaint-staff-phone');
  await moveTo(head, 'diverifikasi');
  await moveTo(head, 'ditindaklanjuti');
  await moveTo(head, 'dijawab', 'Mesin antrean sudah diganti hari ini.');

  await citizen.reload();
  await expect(citizen.locator('[data-figure="state"]')).toHaveText('Dijawab');
  await expect(citizen.locator('.messages')).toContainText('Mesin antrean sudah diganti hari ini.');
  await docShot(citizen, 'complaint-tracking-phone');
  // The code alone shows the state; only the key on the receipt's link acts.
  await expect(citizen.locator('#key-missing')).toBeVisible();
  await expect(citizen.getByRole('button', { name: 'Ya, masalah saya sudah selesai' })).toBeDisabled();
  await citizen.goto(`/pengaduan/${code}#k=${keyOf(code)}`);
  await citizen.reload();
  await expect(citizen.locator('#key-missing')).toBeHidden();
  await noViolations(citizen);
  await citizen.getByRole('button', { name: 'Ya, masalah saya sudah selesai' }).click();
  await expect(citizen.locator('[data-figure="state"]')).toHaveText('Selesai');
  await citizen.getByLabel('4 – Sangat baik').check();
  await citizen.getByRole('button', { name: 'Kirim', exact: true }).click();
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

/** Whether the service worker controls the page (it then opens offline). */
async function controlled(page: Page) {
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 20_000 })
    .toBe(true);
}

/** The photos waiting on the device: their sizes, pixel sizes and whether any metadata survived. */
async function devicePhotos(page: Page) {
  return page.evaluate(
    () =>
      new Promise<{ size: number; width: number; height: number; exif: boolean; type: string }[]>((resolve, reject) => {
        const open = indexedDB.open('suara');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('files').objectStore('files').getAll();
          req.onerror = () => reject(req.error);
          req.onsuccess = async () => {
            open.result.close();
            const out = [];
            for (const blob of req.result as Blob[]) {
              const bytes = new Uint8Array(await blob.arrayBuffer());
              const text = Array.from(bytes, (b) => String.fromCharCode(b)).join('');
              const bitmap = await createImageBitmap(blob);
              out.push({ size: blob.size, width: bitmap.width, height: bitmap.height, exif: /Exif|GPS|XMP/.test(text), type: blob.type });
            }
            resolve(out);
          };
        };
      }),
  );
}

/** A 4000 × 3000 camera-sized JPEG, drawn with noise so that it does not compress to nothing. */
async function cameraPhoto(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 4000;
    canvas.height = 3000;
    const ctx = canvas.getContext('2d')!;
    const image = ctx.createImageData(4000, 3000);
    for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 2654435761) % 251;
    ctx.putImageData(image, 0, 0);
    return canvas.toDataURL('image/jpeg', 0.95).split(',')[1];
  });
  return Buffer.from(base64, 'base64');
}

test('offline: a bad rating becomes a complaint with photos and a code on the receipt; online it reaches the unit, which answers; the citizen confirms', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
  let page = await phone.newPage();
  await page.goto('/s/paspor-baru-jaksel');
  await controlled(page);
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  const big = await cameraPhoto(page);

  await phone.setOffline(true);
  await page.getByRole('group', { name: 'Waktu Penyelesaian' }).getByRole('radio').nth(0).check();
  await expect(page.getByText('Anda memberi nilai rendah.')).toBeVisible();
  await page.getByRole('button', { name: 'Kirim dan buat pengaduan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sampaikan pengaduan');
  await expect(page).toHaveURL(/\/s\/paspor-baru-jaksel\/pengaduan\?items=U\d+&response=/);
  await expect(page.getByLabel('Waktu Penyelesaian')).toBeChecked();

  // Checked on the device before anything is kept.
  await page.getByLabel('Apa yang terjadi?').fill('Lama');
  await page.getByRole('button', { name: 'Kirim pengaduan' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'paling sedikit 10 karakter' })).toBeVisible();

  await page.getByLabel('Apa yang terjadi?').fill('Paspor belum jadi 12 hari kerja, loket 2 bilang sistem rusak.');
  await page.getByLabel('Foto (paling banyak 3)').setInputFiles([
    { name: 'gps.jpg', mimeType: 'image/jpeg', buffer: readFileSync(GPS_JPEG) },
    { name: 'kamera.jpg', mimeType: 'image/jpeg', buffer: big },
  ]);
  await expect(page.locator('[data-figure="photos"] li')).toHaveCount(2);
  await noViolations(page);
  await page.getByRole('button', { name: 'Kirim pengaduan' }).click();

  const receipt = page.locator('[data-figure="receipt"]');
  await expect(receipt).toBeVisible();
  const code = (await receipt.locator('[data-figure="receipt-code"]').textContent())!.trim();
  expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await expect(receipt.locator('[data-figure="receipt-status"]')).toContainText('Tersimpan di ponsel ini');
  await expect(receipt.getByRole('img', { name: 'Kode QR tautan pelacakan' })).toBeVisible();
  await expect(receipt.getByRole('button', { name: 'Salin kode' })).toBeVisible();
  await noViolations(page);
  await receipt.scrollIntoViewIfNeeded();
  await docShot(page, 'complaint-receipt-phone');
  // Shrunk on the device, metadata gone.
  const photos = await devicePhotos(page);
  expect(photos).toHaveLength(2);
  for (const p of photos) {
    expect(Math.max(p.width, p.height)).toBeLessThanOrEqual(1600);
    expect(p.size).toBeLessThanOrEqual(420_000);
    expect(p.exif).toBe(false);
    expect(p.type).toBe('image/jpeg');
  }
  expect(photos.map((p) => Math.max(p.width, p.height))).toContain(1600);

  // The citizen closes the app; the device still lists the complaint, offline.
  await page.close();
  page = await phone.newPage();
  await page.goto('/pengaduan');
  const mine = page.locator('[data-figure="device-complaints"]');
  await expect(mine).toContainText(code);
  await expect(mine).toContainText('Tersimpan di ponsel ini');

  // Back online: it is sent, with its photos.
  await phone.setOffline(false);
  await page.reload();
  await expect(mine.locator('[data-figure="device-status"]')).toHaveText('Sudah diterima unit.', { timeout: 30_000 });
  await mine.scrollIntoViewIfNeeded();
  await docShot(page, 'complaint-device-list-phone');
  expect(await devicePhotos(page)).toEqual([]);

  const staff = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const head = await staff.newPage();
  await signIn(head, 'kepala.jaksel@suara.test');
  await head.goto('/pengaduan');
  await head.getByRole('link', { name: code }).click();
  await expect(head.locator('[data-figure="attachments"] img')).toHaveCount(2);
  await moveTo(head, 'diverifikasi');
  await moveTo(head, 'ditindaklanjuti');
  await head.getByLabel('Lampirkan bukti (foto atau PDF)').setInputFiles(GPS_JPEG);
  await head.getByRole('button', { name: 'Lampirkan', exact: true }).click();
  await expect(head.locator('[data-figure="attachments"] img')).toHaveCount(3);
  await moveTo(head, 'dijawab', 'Paspor sudah dicetak; silakan ambil di loket 2.');

  await page.goto(`/pengaduan/${code}`);
  await expect(page.locator('[data-figure="state"]')).toHaveText('Dijawab');
  await expect(page.locator('.messages')).toContainText('Paspor sudah dicetak');
  await expect(page.getByRole('img', { name: 'Bukti dari unit' })).toBeVisible();
  await page.getByRole('button', { name: 'Ya, masalah saya sudah selesai' }).click();
  await expect(page.locator('[data-figure="state"]')).toHaveText('Selesai');

  // Offline again, the tracking page still shows its last known state.
  await phone.setOffline(true);
  await page.goto(`/pengaduan/${code}`);
  await expect(page.locator('[data-figure="state"]')).toHaveText('Selesai');
  await phone.setOffline(false);

  await head.goto('/pengaduan?state=selesai');
  await expect(head.locator('[data-figure="queue"] li[data-state="selesai"]').filter({ hasText: code })).toHaveCount(1);
  await phone.close();
  await staff.close();
});

test('from the thank-you page a citizen files a complaint online; a mistyped code is caught on the device', async ({ browser }) => {
  const phone = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await phone.newPage();
  await page.goto('/s/paspor-baru-jaksel');
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  // The service page links the complaint form whatever the score.
  await expect(page.getByRole('link', { name: 'Ada masalah dengan layanan ini? Sampaikan pengaduan' })).toHaveAttribute(
    'href',
    '/s/paspor-baru-jaksel/pengaduan',
  );
  await page.getByRole('group', { name: 'Waktu Penyelesaian' }).getByRole('radio').nth(3).check();
  await page.getByRole('button', { name: 'Kirim', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Terima kasih!' })).toBeVisible();
  // What others said, and what the unit did: its public page.
  await expect(page.getByRole('link', { name: 'Apa kata warga lain, dan apa yang dilakukan unit ini' })).toHaveAttribute(
    'href',
    '/s/paspor-baru-jaksel/publik',
  );
  await page.getByRole('link', { name: 'Ada masalah dengan layanan ini? Sampaikan pengaduan' }).click();
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  await page.getByLabel('Apa yang terjadi?').fill('Loket 3 tutup pukul 11, antrean dipindah tanpa pemberitahuan.');
  await expect(page.getByLabel('Anonim')).toBeChecked();
  await page.getByRole('button', { name: 'Kirim pengaduan' }).click();
  const receipt = page.locator('[data-figure="receipt"]');
  await expect(receipt.locator('[data-figure="receipt-status"]')).toHaveText('Sudah diterima unit.');
  const code = (await receipt.locator('[data-figure="receipt-code"]').textContent())!.trim();
  // Later, by the code alone, as a person types it off the receipt.
  await page.goto('/pengaduan');
  const typo = code.slice(0, -1) + (code.endsWith('0') ? '1' : '0');
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.getByLabel('Kode pelacakan').fill(typo);
  await page.getByRole('button', { name: 'Lihat pengaduan' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'salah ketik' })).toBeVisible();
  expect(requests.filter((u) => u.includes('/pengaduan'))).toEqual([]);
  await page.getByLabel('Kode pelacakan').fill(code.replaceAll('-', '').toLowerCase());
  await page.getByRole('button', { name: 'Lihat pengaduan' }).click();
  await expect(page.locator('[data-figure="state"]')).toHaveText('Diterima');
  await phone.close();
});

for (const lang of ['id', 'en']) {
  test(`complaint pages (${lang}) have no accessibility violations at 320 px`, async ({ page, context, baseURL, request }) => {
    const code = await file(request, 'ktp-el-bandung', 'Antrean KTP-el sangat lama di loket 1.');
    await context.addCookies([{ name: 'suara_lang', value: lang, url: baseURL! }]);
    await page.setViewportSize({ width: 320, height: 640 });
    // Tracking pages are plain HTML; the complaint form and the device's
    // list are the browser app's (checked once it has taken over).
    for (const [path, app] of [
      ['/pengaduan', true],
      [`/pengaduan/${code}`, false],
      [`/pengaduan/${code}?baru=1`, false],
      ['/pengaduan/ZZZZ-ZZZZ-ZZZZ', false],
      ['/s/paspor-baru-jaksel/pengaduan', true],
    ] as const) {
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.locator('h1').first()).toBeVisible();
      expect(await page.locator('script[type="module"]').count()).toBe(app ? 1 : 0);
      if (app) await expect(page.locator('html')).toHaveAttribute('data-app', 'ready');
      await noViolations(page);
    }
  });
}
