import { test, expect, signIn, noViolations } from './support/fixtures';
import { phoneResponse } from './support/catalog';

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

// The profile tables name long groups ("Pelajar/Mahasiswa", "Tidak ingin
// menjawab"): with every group answered, the report still fits a 320 px phone.
test('a report with every respondent group fits a 320 px phone in both languages', async ({ browser, request, baseURL }) => {
  // The unit's report reads the questionnaire most of its services use (on
  // a tie, the SKM): answer every service of the unit, each in full.
  const catalog = await (await request.get('/api/v1/catalog')).json();
  const unit = catalog.agencies.flatMap((a: any) => a.units).find((u: any) => u.code === 'kanim-bandung');
  const groups = [
    { sex: 'female', age_band: 'under-20', education: 'SD', occupation: 'pelajar-mahasiswa', disability: 'prefer-not-to-say' },
    { sex: 'male', age_band: '60-plus', education: 'D4-S1', occupation: 'tni-polri', disability: 'yes' },
    { sex: 'female', age_band: '30-39', education: 'D1-D3', occupation: 'swasta', disability: 'no' },
  ];
  // Counts of three digits, as a real unit's, make the number columns wide.
  const people = [0, 0, 0, 0, 1, 2].flatMap((g) => Array.from({ length: 25 }, () => groups[g]));
  const responses = unit.services.flatMap((s: any) => {
    const q = catalog.questionnaires.find((q: any) => q.id === s.questionnaire_id && q.version === s.questionnaire_version);
    const scores = Object.fromEntries(q.items.map((i: any, n: number) => [i.code, 3 + (n % 2)]));
    return people.map((respondent) => phoneResponse(s, scores, { respondent }));
  });
  const r = await request.post('/api/v1/responses', { data: { responses } });
  expect(r.status()).toBe(200);
  for (const result of (await r.json()).results) expect(result.status).toBe('accepted');

  // A desktop-style context: a phone's would zoom out to fit what spills.
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await signIn(page, 'auditor@suara.test');
  const year = new Date().getUTCFullYear();
  for (const lang of ['id', 'en']) {
    await context.addCookies([{ name: 'suara_lang', value: lang, url: baseURL! }]);
    // A burst from one test trips the integrity monitor: count what it flagged.
    // Figures may be a few seconds old: reload until the new ones show.
    await expect(async () => {
      await page.goto(`/reports/skm?unit=kanim-bandung&period=${year}&flagged=include`);
      await expect(page.locator('[data-attribute="occupation"] tbody tr').nth(4)).toHaveText(/Pelajar\/Mahasiswa\s*\d{3}/, { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, lang).toBeLessThanOrEqual(0);
    // Each profile table stays inside the report's column.
    const spills = await page.evaluate(() =>
      [...document.querySelectorAll('table.profile')]
        .filter((t) => t.getBoundingClientRect().right > t.parentElement!.getBoundingClientRect().right + 0.5)
        .map((t) => (t as HTMLElement).dataset.attribute),
    );
    expect(spills, lang).toEqual([]);
  }
  await context.close();
});

// The unit head files the report as their region asks: the public
// consultation forum's day, who signs, how the sample was reached; printed
// at the report's foot, the form itself stays off the paper.
test('a unit head sets who signs the report and when the forum met, and prints it', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await signIn(page, 'kepala.jaksel@suara.test');
  const period = `${new Date().getFullYear()}-S${new Date().getMonth() < 6 ? 1 : 2}`;
  await page.goto(`/reports/skm?unit=kanim-jakarta-selatan&period=${period}`);
  const form = page.locator('form[data-form="report-details"]');
  await form.getByLabel('Tanggal Forum Konsultasi Publik').fill(`${period.slice(0, 4)}-06-15`);
  await form.getByLabel('Nama penanda tangan').fill('Dra. Siti Rahma, M.Si.');
  await form.getByLabel('Jabatan penanda tangan').fill('Kepala Kantor Imigrasi');
  // A NIP that is not 18 digits is caught before it is sent: nothing
  // typed is lost.
  await form.getByLabel('NIP').fill('1970010119950');
  await form.getByRole('button', { name: 'Simpan rincian laporan' }).click();
  await expect(page.locator('#signatory_nip:invalid')).toHaveCount(1);
  await expect(form.getByLabel('Nama penanda tangan')).toHaveValue('Dra. Siti Rahma, M.Si.');
  await form.getByLabel('NIP').fill('19700101 199503 2 001');
  await form.getByLabel('Cara pengambilan sampel').fill('Accidental sampling di loket dan kios');
  await form.getByRole('button', { name: 'Simpan rincian laporan' }).click();
  await expect(page.getByRole('status')).toHaveText('Rincian laporan tersimpan.');
  await expect(page.locator('[data-figure="fkp"]')).toContainText('15 Juni');
  await expect(page.locator('[data-figure="signatory"]')).toContainText('NIP. 19700101 199503 2 001');
  await expect(page.locator('[data-figure="previous"] tbody tr')).toHaveCount(4);
  await noViolations(page);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('[data-figure="signatory"]')).toBeVisible();
  await expect(form).toBeHidden();
});
