// Every page: no axe-core violations, in both languages, at 320 px. Citizen
// pages are checked once the browser app has rendered them; staff pages are
// server-rendered HTML without wasm.
import { test, expect } from './support/fixtures';
import AxeBuilder from '@axe-core/playwright';

const PAGES = [
  '/',
  '/s/paspor-baru-jaksel',
  '/s/paspor-baru-jaksel/terima-kasih',
  '/k/paspor-baru-jaksel',
  '/tertunda',
];
const STAFF_PAGES = ['/login', '/login?error=1', '/dashboard', '/account', '/notifikasi', '/notifikasi/berhenti/n0-such-t0ken', '/admin', '/export', '/reports/skm', '/s/paspor-baru-jaksel/poster', '/account/link/n0-such-l1nk-t0ken'];

for (const lang of ['id', 'en']) {
  for (const path of PAGES) {
    test(`${path} (${lang}) has no accessibility violations and fits 320 px`, async ({ page, context, baseURL }) => {
      await context.addCookies([{ name: 'suara_lang', value: lang, url: baseURL! }]);
      await page.setViewportSize({ width: 320, height: 640 });
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      // Interactive, and the outbox read.
      await expect(page.locator('.outbox-status')).toContainText(/\d/);
      const results = await new AxeBuilder({ page }).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }
}

for (const lang of ['id', 'en']) {
  for (const path of STAFF_PAGES) {
    test(`staff ${path} (${lang}) has no accessibility violations and fits 320 px`, async ({ page, context, baseURL }) => {
      await context.addCookies([{ name: 'suara_lang', value: lang, url: baseURL! }]);
      await page.setViewportSize({ width: 320, height: 640 });
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.locator('h1')).toBeVisible();
      expect(await page.locator('script[type="module"]').count()).toBe(0);
      const results = await new AxeBuilder({ page }).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }
}

// Signed in: the dashboard's tabs, the account page and administration.
const SIGNED_IN_PAGES = [
  '/dashboard?tab=items',
  '/dashboard?tab=trend&by=week',
  '/dashboard?tab=equity&group=age_band',
  '/dashboard?tab=comments',
  '/dashboard?scope=service.paspor-baru-jaksel',
  '/account',
  '/notifikasi',
  '/ikhtisar',
  '/admin',
  '/posters',
  '/posters?unit=kanim-jakarta-selatan',
  '/posters?unit=kanim-jakarta-selatan&layout=sheet',
  '/export',
  '/integritas',
  '/reports/skm?unit=kanim-jakarta-selatan&period=2026',
];

for (const lang of ['id', 'en']) {
  test(`signed-in staff pages (${lang}) have no accessibility violations and fit 320 px`, async ({ page, context, baseURL }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto('/login');
    await page.locator('#email').fill('admin@suara.test');
    await page.locator('#password').fill('suara-demo-2026');
    await page.locator('form.login button[type="submit"]').click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await context.addCookies([{ name: 'suara_lang', value: lang, url: baseURL! }]);
    for (const path of SIGNED_IN_PAGES) {
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.locator('h1')).toBeVisible();
      const results = await new AxeBuilder({ page }).analyze();
      expect(results.violations.map((v) => `${path} ${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
}
