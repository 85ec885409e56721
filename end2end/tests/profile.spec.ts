// The respondent profile ("Tentang Anda — tidak wajib"): asked after the
// items, carried by the response, and what the equity tab shows; remembered
// on a citizen's phone only when asked, and forgotten on request; never kept
// by a kiosk. Signing in from a staff link comes back to that link.
import { test, expect, Page, APIRequestContext } from './support/fixtures';
import { catalogService as service, phoneResponse } from './support/catalog';

type Respondent = Record<string, string>;

/** `n` responses to `code` from people with `respondent`, sent as a phone would. */
async function seed(request: APIRequestContext, code: string, n: number, respondent: Respondent) {
  const s = await service(request, code);
  const responses = Array.from({ length: n }, () =>
    phoneResponse(s, { fair: 2, 'non-discriminatory': 2 }, { respondent }),
  );
  const r = await request.post('/api/v1/responses', { data: { responses } });
  expect(r.status()).toBe(200);
  for (const result of (await r.json()).results) expect(result.status).toBe('accepted');
}

function femaleRow(page: Page) {
  return page.locator('[data-figure="equity-table"] tr[data-group="female"]');
}

test('a profile chosen on the rating form fills the equity tab', async ({ browser, request }) => {
  // Ten women (too few to show) and eleven men already rated the service.
  await seed(request, 'imunisasi-sukajadi', 10, { sex: 'female', age_band: '30-39' });
  await seed(request, 'imunisasi-sukajadi', 11, { sex: 'male' });

  // An administrator follows a link to the service's equity tab (its unit
  // as a whole reads its SKM service), signs in, and lands there.
  const staff = await browser.newContext();
  const head = await staff.newPage();
  const equity = '/dashboard?scope=service.imunisasi-sukajadi&tab=equity&group=sex';
  await head.goto(equity);
  await expect(head).toHaveURL(/\/login\?next=/);
  await head.getByLabel('Email').fill('admin@suara.test');
  await head.getByLabel('Kata sandi').fill('suara-demo-2026');
  await head.getByRole('button', { name: 'Masuk' }).click();
  await expect(head).toHaveURL(equity);
  await expect(femaleRow(head).locator('[data-flag="suppressed"]')).toBeVisible();

  // A citizen rates it and says who she is.
  const citizen = await browser.newContext();
  const page = await citizen.newPage();
  await page.goto('/s/imunisasi-sukajadi');
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  await page.getByRole('radio', { name: 'Sangat adil' }).check();
  await page.getByRole('radio', { name: 'Sangat setara' }).check();
  const about = page.getByRole('region', { name: /Tentang Anda/ });
  await expect(about).toBeVisible();
  await about.getByRole('group', { name: 'Jenis kelamin' }).getByRole('radio', { name: 'Perempuan' }).check();
  await about.getByRole('group', { name: 'Usia' }).getByRole('radio', { name: '30–39 tahun' }).check();
  await about.getByRole('group', { name: 'Disabilitas' }).getByRole('radio', { name: 'Tidak ingin menjawab' }).check();
  await page.getByRole('button', { name: 'Kirim', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Terima kasih!' })).toBeVisible();

  // Her answer makes eleven women: the group is shown, with its own figures.
  await expect
    .poll(async () => {
      await head.reload();
      return femaleRow(head).locator('[data-flag="suppressed"]').count();
    }, { timeout: 30_000 })
    .toBe(0);
  await expect(femaleRow(head).locator('td').first()).toHaveText('11');
  await staff.close();
  await citizen.close();
});

test('a phone remembers the profile only when asked, and forgets it', async ({ page }) => {
  const form = '/s/pbb-sleman';
  const sex = () => page.getByRole('group', { name: 'Jenis kelamin' }).getByRole('radio', { name: 'Laki-laki' });
  const occupation = () => page.getByRole('group', { name: 'Pekerjaan' }).getByRole('radio', { name: 'Wirausaha' });
  const remember = () => page.getByRole('checkbox', { name: 'Ingat jawaban ini di perangkat ini' });

  await page.goto(form);
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  await expect(remember()).not.toBeChecked();
  await page.getByRole('radio', { name: 'Adil', exact: true }).check();
  await sex().check();
  await occupation().check();
  await remember().check();
  await page.getByRole('button', { name: 'Kirim', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Terima kasih!' })).toBeVisible();

  // Next time the answers are filled in, and can be forgotten.
  await page.goto(form);
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  await expect(sex()).toBeChecked();
  await expect(occupation()).toBeChecked();
  await expect(remember()).toBeChecked();
  await page.getByRole('button', { name: 'Lupakan jawaban saya' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'dihapus' })).toHaveText(
    'Jawaban tentang Anda sudah dihapus dari perangkat ini.',
  );
  await expect(sex()).not.toBeChecked();
  await expect(remember()).not.toBeChecked();

  await page.reload();
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  // Give a remembered profile every chance to appear: none does.
  await page.waitForTimeout(500);
  await expect(sex()).not.toBeChecked();
  await expect(page.getByRole('button', { name: 'Lupakan jawaban saya' })).toHaveCount(0);

  // Rating without "remember" keeps nothing either.
  await page.getByRole('radio', { name: 'Adil', exact: true }).check();
  await occupation().check();
  await page.getByRole('button', { name: 'Kirim', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Terima kasih!' })).toBeVisible();
  await page.goto(form);
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  await page.waitForTimeout(500);
  await expect(occupation()).not.toBeChecked();
});

test('a kiosk asks the profile, never remembers it, and shows drawn faces', async ({ page }) => {
  await page.goto('/k/pbb-sleman?interval=0');
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /Ingat/ })).toHaveCount(0);
  // Faces are SVG, the same on every device, and hidden from screen
  // readers, which read the answer's words.
  const fair = page.getByRole('group', { name: 'Adil', exact: true });
  await expect(fair.locator('svg.face')).toHaveCount(4);
  await expect(fair.locator('svg.face').first()).toHaveAttribute('aria-hidden', 'true');
  await expect(fair.getByRole('radio', { name: 'Sangat adil' })).toHaveCount(1);
  const box = await fair.locator('svg.face').first().boundingBox();
  expect(box!.width).toBeGreaterThan(30);

  await fair.getByRole('radio', { name: 'Sangat adil' }).check();
  const female = page.getByRole('group', { name: 'Jenis kelamin' }).getByRole('radio', { name: 'Perempuan' });
  await female.check();
  await page.getByRole('button', { name: 'Kirim', exact: true }).click();
  await expect(page.getByText('Terima kasih!')).toBeVisible();
  // The next person gets a clean form.
  await expect(page.locator('form.rating')).toBeVisible({ timeout: 10_000 });
  await expect(female).not.toBeChecked();
  await expect(fair.getByRole('radio', { name: 'Sangat adil' })).not.toBeChecked();
});
