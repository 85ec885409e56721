import { test, expect, signIn } from './support/fixtures';

// An auditor opens the official SKM report from the data page, picks a
// period, and prints it: the app's header and the form stay off the paper.
test('an auditor prints the SKM report of a unit', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, 'auditor@suara.test');

  await page.goto('/export');
  await page.getByRole('link', { name: 'Laporan SKM resmi (Permenpan RB 14/2017)' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Laporan Survei Kepuasan Masyarakat');
  await page.getByLabel('Unit').selectOption('kanim-jakarta-selatan');
  await page.getByLabel('Periode').fill('2026-S2');
  await page.getByRole('button', { name: 'Tampilkan laporan' }).click();
  await expect(page).toHaveURL(/unit=kanim-jakarta-selatan&period=2026-S2/);
  await expect(page.locator('.report-meta')).toContainText('2026-07-01 s.d. 2026-12-31');
  for (const heading of ['1. Ringkasan', '2. Profil responden', '3. Nilai per unsur pelayanan',
    '4. Unsur dengan nilai terendah', '5. Matriks jawaban responden']) {
    await expect(page.getByRole('heading', { name: heading })).toBeVisible();
  }
  // Nothing spills sideways on a phone: wide tables scroll inside their frame.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('header.top')).toBeHidden();
  await expect(page.locator('form.no-print')).toBeHidden();
  // Auditors read: no "publish" for them.
  await page.emulateMedia({ media: 'screen' });
  await expect(page.getByRole('button', { name: 'Publikasikan periode ini' })).toHaveCount(0);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.locator('[data-figure="elements"]')).toBeVisible();

  // A period that is not one is refused in words, with a 400.
  const response = await page.goto('/reports/skm?unit=kanim-jakarta-selatan&period=2026-S3');
  expect(response?.status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('2026-S3');
});
