// The integrity monitor's review page: an auditor on a phone sees the
// responses one device sent too often, why they are flagged, and clears one
// with a reason; the figures then count it.
import { test, expect, docShot } from './support/fixtures';
import { catalogService as service, phoneResponse } from './support/catalog';
import AxeBuilder from '@axe-core/playwright';

test('an auditor reviews flagged responses on a phone and clears one with a reason', async ({ browser, request }) => {
  // One phone rates the same service five times today: the fourth and fifth are flagged.
  const s = await service(request, 'akta-kelahiran-bandung');
  const device = crypto.randomUUID();
  const responses = Array.from({ length: 5 }, (_, i) =>
    phoneResponse(s, { fair: 4, 'non-discriminatory': 4 }, {
      answered_at: new Date(Date.now() - (5 - i) * 60_000).toISOString(),
      device_id: device,
    }),
  );
  const r = await request.post('/api/v1/responses', { data: { responses } });
  expect(r.status()).toBe(200);

  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  const review = '/integritas?unit=disdukcapil-bandung';
  await page.goto(review);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('Email').fill('auditor@suara.test');
  await page.getByLabel('Kata sandi').fill('suara-demo-2026');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect(page).toHaveURL(review);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Respons yang ditandai');

  const mine = page.locator(`li[data-response="${responses[3].id}"], li[data-response="${responses[4].id}"]`);
  await expect(mine).toHaveCount(2);
  await expect(mine.first().locator('[data-reason="same-device"]')).toBeVisible();
  await expect(mine.first()).toContainText(device.slice(0, 8));
  await mine.first().evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await docShot(page, 'integrity-review-phone');
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

  // A reason is required before anything is cleared.
  const first = page.locator(`li[data-response="${responses[3].id}"]`);
  await first.getByRole('button', { name: 'Hapus tanda' }).click();
  await expect(page).toHaveURL(review);
  await first.getByLabel('Mengapa respons ini asli?').fill('Petugas loket membantu lima warga lansia memakai ponselnya.');
  await first.getByRole('button', { name: 'Hapus tanda' }).click();
  await expect(page).toHaveURL(/\/integritas\?unit=disdukcapil-bandung&done=1$/);
  await expect(page.locator('[data-notice="cleared"]')).toBeVisible();
  await expect(page.locator(`li[data-response="${responses[3].id}"]`)).toHaveCount(0);
  await expect(page.locator(`li[data-response="${responses[4].id}"]`)).toHaveCount(1);
  await context.close();
});
