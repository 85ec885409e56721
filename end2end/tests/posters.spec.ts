// A unit head prints the posters of every service of their unit at once:
// one A4 page each, or a compact sheet of QR codes for the counters.
import { test, expect, signIn } from './support/fixtures';

/** The pages of a PDF, counted from its page objects. */
function pages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

test('the posters of a unit print as one A4 page per service, and its sheet on fewer', async ({ browser, request }) => {
  const catalog = await (await request.get('/api/v1/catalog')).json();
  const unit = catalog.agencies.flatMap((a: any) => a.units).find((u: any) => u.code === 'kanim-jakarta-selatan');
  const n = unit.services.length;
  expect(n).toBeGreaterThan(1);

  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'kepala.jaksel@suara.test');
  await page.goto('/dashboard');
  await page.getByRole('link', { name: 'Poster layanan' }).click();
  await page.getByRole('link', { name: /Kantor Imigrasi.*Jakarta Selatan/ }).click();
  await expect(page).toHaveURL(/\/posters\?unit=kanim-jakarta-selatan$/);
  await expect(page.locator('[data-figure="poster-count"]')).toHaveText(String(n));
  await expect(page.locator('[data-figure="poster-pages"] article.poster')).toHaveCount(n);
  // Every poster's QR code is its service's public link.
  for (const s of unit.services) {
    await expect(page.locator('.poster-link', { hasText: new RegExp(`/s/${s.code}$`) })).toHaveCount(1);
  }
  await page.emulateMedia({ media: 'print' });
  const a4 = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  expect(pages(a4)).toBe(n);

  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('link', { name: /Lembar ringkas/ }).click();
  await expect(page.locator('[data-figure="poster-sheet"] .qr-card')).toHaveCount(n);
  await page.emulateMedia({ media: 'print' });
  const sheet = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  expect(pages(sheet)).toBe(Math.ceil(n / 8));

  // Another unit's posters are not this unit head's to print.
  const other = await page.goto('/posters?unit=disdukcapil-bandung');
  expect(other!.status()).toBe(403);
  await context.close();
});
