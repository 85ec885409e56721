// An auditor opens the regency overview on a phone and narrows it to an agency.
import { test, expect, signIn, docShot } from './support/fixtures';

test('an auditor reads every unit in one table and narrows it to an agency', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await signIn(page, 'auditor@suara.test');
  await page.getByRole('link', { name: 'Ikhtisar kabupaten' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ikhtisar kabupaten');
  const table = page.locator('table[data-figure="overview"]');
  await expect(table.locator('tr[data-unit="kanim-jakarta-selatan"]')).toBeVisible();
  await expect(table.locator('tr[data-unit="disdukcapil-bandung"]')).toBeVisible();
  await docShot(page, 'overview-phone');
  await page.getByLabel('Instansi').selectOption('pemkot-bandung');
  await page.getByRole('button', { name: 'Tampilkan' }).click();
  await expect(page).toHaveURL(/agency=pemkot-bandung/);
  await expect(table.locator('tr[data-unit="kanim-jakarta-selatan"]')).toHaveCount(0);
  await expect(table.locator('tr[data-unit="disdukcapil-bandung"]')).toBeVisible();
  // The same table as a workbook, of the agency chosen; and on paper,
  // without the controls.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Unduh XLSX' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('ikhtisar.xlsx');
  expect(download.url()).toContain('agency=pemkot-bandung');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: 'Cetak' })).toBeHidden();
  await expect(page.getByLabel('Instansi')).toBeHidden();
  await expect(table).toBeVisible();
  await context.close();
});
