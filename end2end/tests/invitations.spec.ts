// Invitations instead of typed passwords: an administrator adds an account
// and gets a one-time link; the person opens it on a phone, chooses a
// password and is signed in; the link then works no more. A reset link is
// made from the account list and revoked.
import { test, expect, signIn, noViolations } from './support/fixtures';

test('an administrator invites an auditor, who chooses a password on a phone; the link then works no more', async ({ browser, baseURL }) => {
  const email = `auditor.${Date.now()}@suara.test`;
  const staff = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const admin = await staff.newPage();
  await signIn(admin, 'admin@suara.test');
  await admin.goto('/admin#accounts');
  await admin.getByText('Tambah akun', { exact: true }).first().click();
  await admin.locator('#account-email').fill(email);
  await admin.locator('#account-role').selectOption('auditor');
  await admin.locator('#accounts form').getByRole('button', { name: 'Tambah akun' }).click();

  // The link, once, in this browser.
  await expect(admin).toHaveURL(/\/admin\/tautan\/[0-9a-f-]{36}$/);
  const shownAt = admin.url();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Tautan undangan');
  const link = await admin.getByLabel('Tautannya').inputValue();
  expect(link).toMatch(/\/account\/link\/[A-Za-z0-9_-]{43}$/);
  await expect(admin.locator('[data-link="state"]')).toHaveText('Terbuka: belum dipakai');
  await noViolations(admin, 'link made (id)');
  await admin.screenshot({ path: 'test-results/invitation-made-320.png', fullPage: true });
  await staff.addCookies([{ name: 'suara_lang', value: 'en', url: baseURL! }]);
  await admin.reload();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Invitation link');
  await noViolations(admin, 'link made (en)');
  await staff.addCookies([{ name: 'suara_lang', value: 'id', url: baseURL! }]);

  // The invited person, on a phone of their own.
  const phone = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const person = await phone.newPage();
  await person.goto(new URL(link).pathname);
  await expect(person.getByRole('heading', { level: 1 })).toHaveText('Pilih kata sandi Anda');
  await expect(person.getByLabel('Email')).toHaveValue(email);
  await noViolations(person, 'choose a password');
  await person.screenshot({ path: 'test-results/invitation-choose-320.png', fullPage: true });
  await person.getByLabel('Kata sandi baru', { exact: true }).fill('sandi pilihan saya');
  await person.getByLabel('Ulangi kata sandi baru').fill('sandi yang lain sekali');
  await person.getByRole('button', { name: 'Simpan kata sandi dan masuk' }).click();
  await expect(person.getByRole('alert').filter({ hasText: 'tidak sama' })).toBeVisible();
  await person.getByLabel('Kata sandi baru', { exact: true }).fill('sandi pilihan saya');
  await person.getByLabel('Ulangi kata sandi baru').fill('sandi pilihan saya');
  await person.getByRole('button', { name: 'Simpan kata sandi dan masuk' }).click();
  await expect(person).toHaveURL(/\/dashboard$/);

  // Used: the link says so, to the person and to the administrator.
  const again = await person.goto(new URL(link).pathname);
  expect(again!.status()).toBe(410);
  await expect(person.getByRole('heading', { level: 1 })).toHaveText('Tautan ini tidak dapat dipakai');
  await noViolations(person, 'closed link');
  await admin.goto(shownAt);
  await expect(admin.locator('[data-link="state"]')).toHaveText('Sudah dipakai');
  await expect(admin.getByLabel('Tautannya')).toHaveCount(0);

  // A reset link from the account list, then revoked from the list of open links.
  await admin.goto('/admin#accounts');
  await admin.getByRole('button', { name: `Tautan atur ulang ${email}` }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Tautan atur ulang kata sandi');
  await admin.goto('/admin#links');
  const row = admin.locator(`#links tr[data-link="${email}"]`);
  await expect(row).toContainText('Atur ulang kata sandi');
  await noViolations(admin, 'admin with an open link');
  await row.scrollIntoViewIfNeeded();
  await admin.screenshot({ path: 'test-results/admin-open-links-320.png' });
  await row.getByRole('button', { name: `Cabut ${email}` }).click();
  await expect(admin).toHaveURL(/\/admin\?done=link-revoked#links$/);
  await expect(admin.locator(`#links tr[data-link="${email}"]`)).toHaveCount(0);
  await phone.close();
  await staff.close();
});
