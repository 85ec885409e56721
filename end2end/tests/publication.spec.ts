// Publication: a unit head publishes a period from the SKM report; anyone,
// on a phone, signed out, sees the unit's published grade with its
// uncertainty, how it handles complaints, and its badge. Every public page
// passes axe-core in both languages at 320 px.
import { test, expect, signIn, fileComplaint, keyOf, noViolations, docShot } from './support/fixtures';
import { rateService as rate } from './support/catalog';

test('a unit head publishes a period and a signed-out visitor on a phone sees it, with the badge', async ({ browser, request }) => {
  // Eleven: fewer respondents publish their number alone (tests/api/publication.rs).
  await rate(request, 'paspor-hilang-jaksel', [4, 3, 4, 4, 3, 4, 3, 4, 4, 3, 4]);
  const year = String(new Date().getFullYear());
  const desk = await browser.newContext();
  const head = await desk.newPage();
  await signIn(head, 'kepala.jaksel@suara.test');
  const quarter = `${year}-Q${Math.floor(new Date().getMonth() / 3) + 1}`;
  await head.goto(`/reports/skm?unit=kanim-jakarta-selatan&period=${quarter}`);
  await head.getByRole('button', { name: 'Publikasikan periode ini' }).click();
  await expect(head).toHaveURL(/\/publik\/kanim-jakarta-selatan\?published=/);
  await expect(head.getByRole('status')).toHaveText('Dipublikasikan.');
  const grade = (await head.locator('section[aria-labelledby="latest-title"] [data-figure="grade"]').textContent())!.trim();
  expect(grade).toMatch(/^[A-D]$/);
  // The follow-up plan, kept on the same page by the unit head.
  const plan = head.locator('form[data-form="follow-up-add"]');
  await plan.getByLabel('Unsur').selectOption('U3');
  await plan.getByLabel('Tindakan').fill('Menambah satu loket pada jam sibuk');
  await plan.getByLabel('Penanggung jawab').fill('Kepala Seksi Lalu Lintas');
  await plan.getByLabel('Tenggat').fill(`${year}-12-31`);
  await plan.getByRole('button', { name: 'Tambah tindakan' }).click();
  await expect(head.getByRole('status')).toHaveText('Tersimpan.');
  const action = head.locator('[data-figure="follow-up"] li').first();
  await action.getByLabel('Status').selectOption('in_progress');
  await action.getByRole('button', { name: 'Simpan' }).click();
  await expect(head.locator('[data-figure="action-status"]').first()).toHaveText('Sedang dikerjakan');

  // A complaint answered and confirmed: "you said, we did", redacted.
  const filed = await fileComplaint(request, 'paspor-hilang-jaksel', 'Loket 2 tutup pukul 11, hubungi 081234567890.', 'publik');
  for (const [to, note] of [['diverifikasi', null], ['ditindaklanjuti', null], ['dijawab', 'Loket 2 kini buka sampai pukul 15.00.']]) {
    const r = await head.request.post(`/api/v1/complaints/${filed}/transitions`, {
      data: { to, note },
      headers: { origin: new URL(head.url()).origin },
    });
    expect(r.status()).toBe(200);
  }
  expect((await request.post(`/api/v1/complaints/${filed}/messages`, { data: { resolved: true, key: keyOf(filed) } })).status()).toBe(200);

  const phone = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await phone.newPage();
  await page.goto('/publik');
  const line = page.locator('li[data-unit="kanim-jakarta-selatan"]');
  await expect(line.locator('[data-figure="grade"]')).toHaveText(grade);
  await line.getByRole('link').click();
  await expect(page.locator('h1')).toHaveText('Kantor Imigrasi Kelas I Khusus TPI Jakarta Selatan');
  await expect(page.locator('[data-figure="up-to-seq"]')).toHaveText(/^\d+$/);
  await docShot(page, 'public-unit-phone');
  // The visitor can fetch the aggregate the page names and check its hash.
  const sha = (await page.locator('[data-figure="aggregate-sha256"]').textContent())!.trim();
  const href = (await page.locator('a[data-figure="aggregate"]').getAttribute('href'))!;
  const aggregate = await page.request.get(href);
  expect(aggregate.ok()).toBe(true);
  const digest = await page.evaluate(async (text: string) => {
    const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }, await aggregate.text());
  expect(digest).toBe(sha);
  await expect(page.locator('[data-figure="check-command"]')).toContainText('suara verify-publication http');
  await expect(page.locator('[data-figure="follow-up"]')).toContainText('Menambah satu loket pada jam sibuk');
  await expect(page.locator('form[data-form="follow-up-add"]')).toHaveCount(0);
  const said = page.locator('[data-figure="resolved"]');
  await expect(said).toContainText('Loket 2 kini buka sampai pukul 15.00.');
  await expect(said).toContainText('[telepon]');
  await expect(said).not.toContainText('081234567890');
  await expect(page.locator('section[aria-labelledby="latest-title"] h2')).toContainText(quarter);
  await noViolations(page);
  const badge = page.locator('img[data-figure="badge"]');
  await expect(badge).toBeVisible();
  expect(await badge.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  expect(await page.locator('script[type="module"]').count()).toBe(0);
  // The citizen's rating form links the unit's public page.
  await page.goto('/s/paspor-hilang-jaksel');
  await page.getByRole('link', { name: 'Apa kata warga lain, dan apa yang dilakukan unit ini' }).click();
  await expect(page).toHaveURL(/\/publik\/kanim-jakarta-selatan$/);
  await desk.close();
  await phone.close();
});

for (const lang of ['id', 'en']) {
  test(`public pages (${lang}) have no accessibility violations at 320 px`, async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: 'suara_lang', value: lang, url: baseURL! }]);
    await page.setViewportSize({ width: 320, height: 640 });
    for (const path of ['/publik', '/publik/kanim-jakarta-selatan', '/publik/kanim-bandung']) {
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.locator('h1')).toBeVisible();
      await noViolations(page);
    }
  });
}
