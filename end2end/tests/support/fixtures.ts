// Every browser test runs under this fixture: it fails the test when a page
// breaks the Content-Security-Policy (a `securitypolicyviolation` event, or
// Chromium's own console report), in the test's context and in every
// context the test opens itself.
import { test as base, expect, Browser, BrowserContext, Page } from '@playwright/test';

export * from '@playwright/test';

const REPORT = 'CSP violation:';

async function listen(context: BrowserContext, violations: string[]) {
  await context.addInitScript((prefix: string) => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`${prefix} ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} in ${e.sourceFile}:${e.lineNumber}`);
    });
  }, REPORT);
  context.on('console', (message) => {
    const text = message.text();
    if (text.startsWith(REPORT) || text.includes('Content Security Policy')) violations.push(text);
  });
}

export const test = base.extend<{ cspGuard: void }>({
  cspGuard: [
    async ({ browser, context }, use) => {
      const violations: string[] = [];
      await listen(context, violations);
      const b = browser as Browser & { newContext: Browser['newContext'] };
      const original = b.newContext.bind(b);
      b.newContext = async (options) => {
        const c = await original(options);
        await listen(c, violations);
        return c;
      };
      await use();
      b.newContext = original;
      expect(violations, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});

/** Signs in on the sign-in page as a seeded staff account (Indonesian page). */
export async function signIn(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Kata sandi').fill('suara-demo-2026');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}
