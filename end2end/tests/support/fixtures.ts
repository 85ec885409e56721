// Every browser test runs under this fixture: it fails the test when a page
// breaks the Content-Security-Policy (a `securitypolicyviolation` event, or
// Chromium's own console report), in the test's context and in every
// context the test opens itself.
import { test as base, expect, APIRequestContext, Browser, BrowserContext, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';

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

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A tracking code as a device makes one: 11 random characters and the Luhn mod 32 check. */
export function newCode(): string {
  const values = Array.from(crypto.getRandomValues(new Uint8Array(11)), (b) => b % 32);
  let sum = 0;
  let double = true;
  for (const v of [...values].reverse()) {
    const addend = v * (double ? 2 : 1);
    double = !double;
    sum += Math.floor(addend / 32) + (addend % 32);
  }
  const chars = [...values, (32 - (sum % 32)) % 32].map((v) => ALPHABET[v]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** The citizen's key a test's device made with `code` (as the server tests make it). */
export function keyOf(code: string): string {
  return `test-citizen-key-${code.replaceAll('-', '')}`;
}

/** Files a complaint about `service` as a device does, through the API, with its key; its code. */
export async function fileComplaint(
  request: APIRequestContext,
  service: string,
  text: string,
  privacy = 'anonim',
): Promise<string> {
  const catalog = await (await request.get('/api/v1/catalog')).json();
  let serviceId = '';
  for (const a of catalog.agencies) for (const u of a.units) for (const s of u.services) if (s.code === service) serviceId = s.id;
  const code = newCode();
  const r = await request.post('/api/v1/complaints', {
    data: {
      complaints: [
        { id: crypto.randomUUID(), code, key: keyOf(code), service_id: serviceId, items: ['U3'], text, privacy, channel: 'phone', submitted_at: new Date().toISOString() },
      ],
    },
  });
  expect(r.status()).toBe(200);
  expect((await r.json()).results[0].status).toBe('accepted');
  return code;
}

/** No axe-core violations, and nothing wider than the screen; `what` names the page in a failure. */
export async function noViolations(page: Page, what = '') {
  const prefix = what ? `${what} ` : '';
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${prefix}${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, what).toBeLessThanOrEqual(0);
}

/**
 * A phone-sized screenshot for the documentation book
 * (docs/src/images/NAME.png), taken where a test has the page in the state
 * a guide shows, so the book's pictures stay what people see. Commit the
 * files a run changes.
 */
export async function docShot(page: Page, name: string) {
  await page.screenshot({
    path: join(__dirname, '../../../docs/src/images', `${name}.png`),
    fullPage: false,
  });
}
