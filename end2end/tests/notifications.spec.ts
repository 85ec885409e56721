// A unit head hears of a complaint filed at their unit, and chooses how
// such notifications reach them (the e-mail itself: server/tests/api/notifications.rs).
import { test, expect, signIn, fileComplaint, docShot } from './support/fixtures';

test('a complaint filed at the unit is listed for its head, who chooses a daily digest in English', async ({ browser, request }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const head = await context.newPage();
  await signIn(head, 'kepala.jaksel@suara.test');
  const code = await fileComplaint(request, 'paspor-baru-jaksel', 'Loket 2 tutup sebelum jam istirahat.');
  await head.getByRole('link', { name: 'Pemberitahuan' }).click();
  await expect(head.getByRole('heading', { level: 1 })).toHaveText('Pemberitahuan');
  // No SMTP server in this run: listed here, and said so.
  await expect(head.locator('[data-figure="mail"]')).toContainText('SUARA_SMTP_URL');
  const line = head.locator('[data-figure="notifications"] li', { hasText: code });
  await expect(line).toContainText('Pengaduan baru di unit saya');
  await docShot(head, 'notifications-phone');
  await line.getByRole('link', { name: code }).click();
  await expect(head).toHaveURL(new RegExp(`/pengaduan/${code}$`));

  await head.goto('/notifikasi');
  await head.getByLabel('Pengaduan baru di unit saya').selectOption('digest');
  await head.getByLabel('Bahasa pesan').selectOption('en');
  await head.getByRole('button', { name: 'Simpan' }).click();
  await expect(head).toHaveURL(/\/notifikasi\?saved=1$/);
  await expect(head.getByRole('status')).toHaveText('Tersimpan.');
  await expect(head.getByLabel('Pengaduan baru di unit saya')).toHaveValue('digest');
  await expect(head.getByLabel('Bahasa pesan')).toHaveValue('en');
  // Put back for the other tests of the run.
  await head.getByLabel('Pengaduan baru di unit saya').selectOption('immediate');
  await head.getByRole('button', { name: 'Simpan' }).click();
  await context.close();
});
