// The unit head's dashboard on a phone: overview, trend, equity, a citizen's
// response arriving live, and no way into another unit by URL.
import { test, expect, signIn, docShot } from './support/fixtures';

test('a unit head follows their service on a phone, live, and only their own', async ({ browser }) => {
  const staff = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const head = await staff.newPage();
  await signIn(head, 'kepala.jaksel@suara.test');

  // The picker offers their unit and its services, and nothing of Bandung.
  const picker = head.getByLabel('Unit atau layanan');
  await expect(picker.locator('option[value="service.paspor-baru-jaksel"]')).toHaveCount(1);
  await expect(picker.locator('option[value^="unit.disdukcapil"]')).toHaveCount(0);
  await picker.selectOption('service.paspor-baru-jaksel');
  await head.getByRole('button', { name: 'Tampilkan' }).click();
  await expect(head).toHaveURL(/scope=service\.paspor-baru-jaksel/);
  await expect(head.getByRole('heading', { level: 2, name: 'Penerbitan Paspor Baru' })).toBeVisible();
  await expect(head.getByRole('heading', { name: 'Peringatan' })).toBeVisible();
  const responses = head.locator('[data-figure="scope-responses"]');
  const before = Number(await responses.innerText());
  await expect(head.locator('body')).toHaveAttribute('data-live', 'true');

  // A citizen rates the service in another browser.
  const citizenContext = await browser.newContext();
  const citizen = await citizenContext.newPage();
  await citizen.goto('/s/paspor-baru-jaksel');
  await expect(citizen.locator('form[data-ready="true"]')).toBeVisible();
  await citizen.locator('label[for="U1-4"]').click();
  await citizen.getByRole('button', { name: 'Kirim', exact: true }).click();
  await expect(citizen.getByRole('heading', { name: 'Terima kasih!' })).toBeVisible();

  // The head's screen follows without a reload.
  await expect(responses).toHaveText(String(before + 1), { timeout: 30_000 });
  await expect(head.locator('#live-status')).toContainText('Angka diperbarui');
  expect(await head.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
  await expect(head.locator('body')).toHaveAttribute('data-live-updates', /[1-9]/);
  await head.getByRole('heading', { level: 2, name: 'Penerbitan Paspor Baru' }).evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await docShot(head, 'dashboard-phone');

  await head.getByRole('link', { name: 'Tren' }).click();
  await expect(head.locator('[data-figure="trend-chart"]')).toBeVisible();
  await expect(head.locator('[data-figure="trend-table"] tbody tr').first()).toBeVisible();
  await head.getByRole('link', { name: 'Kesetaraan' }).click();
  await expect(head.locator('[data-figure="equity-table"]')).toBeVisible();
  await expect(head.getByRole('link', { name: 'Jenis kelamin' })).toHaveAttribute('aria-current', 'page');
  const overflow = await head.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // Another unit's figures by URL: refused, in the page's language.
  const refused = await head.goto('/dashboard?scope=unit.disdukcapil-bandung&tab=trend');
  expect(refused!.status()).toBe(403);
  await expect(head.getByRole('alert')).toHaveText('Unit atau layanan ini bukan wewenang Anda.');
  await expect(head.locator('[data-figure="trend-chart"]')).toHaveCount(0);
  await staff.close();
  await citizenContext.close();
});
