// An administrator loads services from a spreadsheet: uploads it, reads the
// preview, applies it; a citizen then finds a new service on a phone.
import { test, expect, signIn, noViolations } from './support/fixtures';

const HEADER =
  'agency_code,agency_name,unit_code,unit_name,unit_yearly_volume,service_code,service_name,questionnaire,service_name_en';
const FILE = [
  HEADER,
  'dinkes-uji,Dinas Kesehatan Uji,puskesmas-uji-1,"Puskesmas Uji 1, Kecamatan Satu",5200,imunisasi-uji-1,Imunisasi Anak,skm-2017,Child immunisation',
  'dinkes-uji,Dinas Kesehatan Uji,puskesmas-uji-1,"Puskesmas Uji 1, Kecamatan Satu",5200,rawat-jalan-uji-1,Rawat Jalan Umum,skm-2017,',
  'disnaker-uji,Dinas Tenaga Kerja Uji,disnaker-uji-pusat,Kantor Disnaker Uji,,kartu-kuning-uji,Pembuatan Kartu Kuning,skm-2017,Job seeker card',
].join('\n') + '\n';

test('an administrator imports services from a CSV after its preview, and a citizen finds one on a phone', async ({ browser, baseURL }) => {
  const staff = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const admin = await staff.newPage();
  await signIn(admin, 'admin@suara.test');
  await admin.goto('/admin#import');

  // A file with a refused row: the preview names its line and offers no apply.
  const broken = FILE + 'dinkes-uji,Dinas Kesehatan Uji,puskesmas-uji-1,"Puskesmas Uji 1, Kecamatan Satu",5200,imunisasi-uji-1,Lagi,skm-2017,\n';
  await admin.locator('#import-file').setInputFiles({ name: 'rusak.csv', mimeType: 'text/csv', buffer: Buffer.from(broken) });
  await admin.getByRole('button', { name: 'Lihat pratinjau' }).click();
  await expect(admin).toHaveURL(/\/admin\/katalog\/[0-9a-f-]{36}$/);
  const refused = admin.locator('[data-figure="import-refused"]');
  await expect(refused.getByRole('alert')).toContainText('Tidak ada yang diterapkan');
  await expect(refused.locator('tbody tr')).toHaveText(['5imunisasi-uji-1: layanan ini sudah ada di baris 2']);
  await expect(admin.getByRole('button', { name: 'Terapkan impor' })).toHaveCount(0);
  await noViolations(admin, 'refused preview');

  // The corrected file: counts, every change, and the apply button.
  await admin.goto('/admin#import');
  await admin.locator('#import-file').setInputFiles({ name: 'katalog.csv', mimeType: 'text/csv', buffer: Buffer.from(FILE) });
  await admin.getByRole('button', { name: 'Lihat pratinjau' }).click();
  await expect(admin).toHaveURL(/\/admin\/katalog\/[0-9a-f-]{36}$/);
  await expect(admin.locator('[data-figure="import-rows"]')).toHaveText('3');
  const services = admin.locator('[data-figure="import-counts"] tbody tr').nth(2);
  await expect(services.locator('td').first()).toHaveText('3');
  await expect(admin.locator('[data-figure="import-changes"] li')).toHaveCount(2 + 2 + 3);
  await expect(admin.locator('[data-figure="import-changes"]')).toContainText('Layanan baru: kartu-kuning-uji — Pembuatan Kartu Kuning');
  await noViolations(admin, 'preview (id)');
  // The same preview in English.
  await staff.addCookies([{ name: 'suara_lang', value: 'en', url: baseURL! }]);
  await admin.reload();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Catalogue import preview');
  await expect(admin.locator('[data-figure="import-changes"]')).toContainText('New service: kartu-kuning-uji — Pembuatan Kartu Kuning');
  await noViolations(admin, 'preview (en)');
  await admin.screenshot({ path: 'test-results/catalogue-preview-320.png', fullPage: true });

  await admin.getByRole('button', { name: 'Apply the import' }).click();
  await expect(admin).toHaveURL(/\/admin\?done=catalog-import$/);
  await expect(admin.getByRole('status')).toHaveText('Change saved and written to the audit log.');
  await expect(admin.locator('[data-service="kartu-kuning-uji"]')).toBeAttached();
  await expect(admin.locator('[data-figure="audit-log"] tbody tr').first()).toContainText('catalog.import katalog.csv');

  // A citizen on a phone finds the new service by searching for it.
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const citizen = await phone.newPage();
  await citizen.goto('/');
  await expect(citizen.locator('.search[data-ready="true"]')).toBeVisible();
  await citizen.getByLabel('Cari layanan').fill('kartu kuning');
  await citizen.getByRole('link', { name: 'Pembuatan Kartu Kuning' }).click();
  await expect(citizen.locator('form[data-ready="true"]')).toBeVisible();
  await expect(citizen.getByRole('heading', { level: 1 })).toHaveText('Pembuatan Kartu Kuning');
  await staff.close();
  await phone.close();
});
