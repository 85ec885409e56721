// An administrator adds a service; a citizen finds it and rates it.
import { test, expect, signIn, docShot } from './support/fixtures';

test('an administrator adds a service, and it appears in the citizen catalogue', async ({ browser }) => {
  const staff = await browser.newContext();
  const admin = await staff.newPage();
  await signIn(admin, 'admin@suara.test');
  await admin.goto('/admin');
  await admin.getByText('Tambah layanan', { exact: true }).first().click();
  await admin.locator('#service-unit').selectOption('kanim-jakarta-selatan');
  await admin.locator('#service-code').fill('legalisasi-jaksel');
  await admin.locator('#service-name').fill('Legalisasi Dokumen Perjalanan');
  await admin.locator('#service-questionnaire').selectOption('skm-2017');
  await admin.getByRole('button', { name: 'Tambah layanan' }).click();
  await expect(admin).toHaveURL(/\/admin\?done=service$/);
  await expect(admin.getByRole('status')).toHaveText('Perubahan disimpan dan dicatat di log audit.');
  await expect(admin.locator('[data-service="legalisasi-jaksel"]')).toBeVisible();
  await expect(admin.locator('[data-figure="audit-log"] tbody tr').first()).toContainText('service.add legalisasi-jaksel');
  await admin.evaluate(() => window.scrollTo(0, 0));
  await docShot(admin, 'admin-phone');

  // The same code again is refused, in the page's language.
  await admin.getByText('Tambah layanan', { exact: true }).first().click();
  await admin.locator('#service-code').fill('legalisasi-jaksel');
  await admin.locator('#service-name').fill('Lagi');
  await admin.getByRole('button', { name: 'Tambah layanan' }).click();
  await expect(admin.getByRole('alert').filter({ hasText: 'Kode' })).toHaveText('Kode itu sudah dipakai.');

  const citizens = await browser.newContext();
  const citizen = await citizens.newPage();
  await citizen.goto('/');
  await expect(citizen.locator('.search[data-ready="true"]')).toBeVisible();
  await citizen.getByLabel('Cari layanan').fill('legalisasi');
  await citizen.getByRole('link', { name: 'Legalisasi Dokumen Perjalanan' }).click();
  await expect(citizen.locator('form[data-ready="true"]')).toBeVisible();
  await expect(citizen.getByRole('heading', { level: 1 })).toHaveText('Legalisasi Dokumen Perjalanan');
  await staff.close();
  await citizens.close();
});
