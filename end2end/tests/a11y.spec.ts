// Every page: no axe-core violations, in both languages, at 320 px. Citizen
// pages are checked once the browser app has rendered them; staff pages are
// server-rendered HTML without wasm.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

const PAGES = [
  '/',
  '/s/paspor-baru-jaksel',
  '/s/paspor-baru-jaksel/terima-kasih',
  '/k/paspor-baru-jaksel',
  '/tertunda',
];
const STAFF_PAGES = ['/login', '/login?error=1', '/dashboard', '/account', '/s/paspor-baru-jaksel/poster'];

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
