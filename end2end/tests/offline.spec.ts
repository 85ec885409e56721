// The offline promise: a response is kept on the device before "thank you",
// sent when a connection exists, never lost and never stored twice.
import { test, expect, Browser, Page, BrowserContext } from './support/fixtures';
import { SuaraServer } from './support/server';

const SERVICE = '/s/paspor-baru-jaksel';

/** The outbox status line every page shows. */
function outboxStatus(page: Page) {
  return page.locator('.outbox-status[role="status"]');
}

async function waiting(page: Page, n: number, timeout = 15_000) {
  await expect(outboxStatus(page)).toContainText(`${n} tanggapan menunggu dikirim`, { timeout });
}

/** Rates the open service page: item `U1` gets `value`. */
async function rate(page: Page, value: number) {
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  await page.getByRole('group', { name: 'Persyaratan' }).getByRole('radio').nth(value - 1).check();
  await page.getByRole('button', { name: 'Kirim', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Terima kasih!' })).toBeVisible();
}

/** The ids in this origin's outbox, read straight from IndexedDB. */
async function outboxIds(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('suara');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const req = db.transaction('outbox').objectStore('outbox').getAllKeys();
          req.onsuccess = () => {
            db.close();
            resolve(req.result as string[]);
          };
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

async function controlled(page: Page) {
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 20_000 })
    .toBe(true);
}

/** A fresh phone (browser context) on this test's server, on the service
 * page, once the service worker controls it. */
async function openService(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await page.goto(SERVICE);
  await controlled(page);
  return { context, page };
}

let server: SuaraServer;
test.beforeEach(async () => {
  server = await SuaraServer.create();
});
test.afterEach(async () => {
  await server.dispose();
});

test('offline: the page opens from the service worker, three ratings wait, then arrive once each', async ({
  browser,
}) => {
  const { context, page } = await openService(browser);
  await waiting(page, 0);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Penerbitan Paspor Baru' })).toBeVisible();
  for (const value of [4, 3, 1]) {
    await page.goto(SERVICE);
    await rate(page, value);
  }
  await waiting(page, 3);
  const ids = await outboxIds(page);
  expect(ids).toHaveLength(3);

  // Still offline, the app is closed and opened again: nothing was lost.
  await page.close();
  const again = await context.newPage();
  await again.goto('/');
  await waiting(again, 3);

  await context.setOffline(false);
  await waiting(again, 0, 30_000);
  expect(await outboxIds(again)).toEqual([]);
  const held = await server.responseIds();
  expect(held.sort()).toEqual([...ids].sort());
  await context.close();
});

test('a server outage keeps responses pending; they arrive once it is back', async ({ browser }) => {
  const { context, page } = await openService(browser);
  await waiting(page, 0);

  await server.stop();
  await rate(page, 2);
  // With the server down, the service worker still opens the page.
  await page.goto(SERVICE);
  await rate(page, 3);
  await waiting(page, 2);
  const ids = await outboxIds(page);
  expect(ids).toHaveLength(2);

  await server.start();
  await waiting(page, 0, 40_000);
  expect((await server.responseIds()).sort()).toEqual([...ids].sort());
  // Both came from this install: one random device id, made once and kept.
  const devices = new Set((await server.responses()).map((r) => r.device_id));
  expect(devices.size).toBe(1);
  expect([...devices][0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
  await context.close();
});

test('"too many requests" from the server keeps responses pending; they arrive once it takes them', async ({
  browser,
}) => {
  // One write an hour from this address: the first sync passes, then 429.
  server.rateLimits = 'write=1:1/h';
  await server.restart();
  const { context, page } = await openService(browser);
  const refused: number[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith('/api/v1/responses') && r.status() === 429) refused.push(r.status());
  });
  await rate(page, 2);
  await waiting(page, 0);
  await page.goto(SERVICE);
  await rate(page, 3);
  await page.goto(SERVICE);
  await rate(page, 4);
  await waiting(page, 2);
  expect(refused.length).toBeGreaterThan(0);
  const kept = await outboxIds(page);
  expect(kept).toHaveLength(2);

  // The limit is lifted (a new hour, say): the agent's next try lands both.
  server.rateLimits = '';
  await server.restart();
  await waiting(page, 0, 40_000);
  const held = await server.responseIds();
  expect(held).toHaveLength(3);
  expect(held).toEqual(expect.arrayContaining(kept));
  await context.close();
});

test('a lost acknowledgement: the resend is a duplicate, the outbox empties, the server holds it once', async ({
  browser,
}) => {
  const context = await browser.newContext({ baseURL: server.url, serviceWorkers: 'block' });
  const statuses: string[] = [];
  let forwarded = 0;
  await context.route('**/api/v1/responses', async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    statuses.push(...body.results.map((r: { status: string }) => r.status));
    forwarded += 1;
    if (forwarded === 1) {
      // The server committed the batch; the phone never hears of it.
      await route.abort('connectionreset');
    } else {
      await route.fulfill({ response });
    }
  });
  const page = await context.newPage();
  await page.goto(SERVICE);
  await rate(page, 4);
  await waiting(page, 0, 30_000);
  expect(statuses).toEqual(['accepted', 'duplicate']);
  expect(await outboxIds(page)).toEqual([]);
  const held = await server.responseIds();
  expect(held).toHaveLength(1);
  await context.close();
});

/** Puts a record into the outbox as an older app version might have left it;
 *  with `version`, into a database of that schema version, made here if it is not there. */
async function putRecord(page: Page, record: object, version?: number) {
  await page.evaluate(
    ([record, version]) =>
      new Promise<void>((resolve, reject) => {
        const open = version ? indexedDB.open('suara', version) : indexedDB.open('suara');
        open.onupgradeneeded = () => open.result.createObjectStore('outbox', { keyPath: 'id' });
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('outbox', 'readwrite');
          tx.objectStore('outbox').put(record);
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
    [record, version ?? 0] as const,
  );
}

async function serviceId(code: string): Promise<string> {
  const catalog = await (await fetch(`${server.url}/api/v1/catalog`)).json();
  for (const a of catalog.agencies)
    for (const u of a.units) for (const s of u.services) if (s.code === code) return s.id;
  throw new Error(`no service ${code}`);
}

test('a response the server refuses stays on the "not sent" screen with its reason until discarded', async ({
  browser,
}) => {
  const context = await browser.newContext({ baseURL: server.url, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto('/tertunda');
  await waiting(page, 0);
  const id = crypto.randomUUID();
  const response = {
    id,
    service_id: await serviceId('paspor-baru-jaksel'),
    questionnaire_id: 'skm-2017',
    questionnaire_version: 1,
    answered_at: new Date().toISOString(),
    channel: 'link',
    scores: { U1: 7 },
  };
  await putRecord(page, {
    id,
    response: JSON.stringify(response),
    state: 'pending',
    reason: null,
    service_name: 'Penerbitan Paspor Baru',
    queued_at_ms: Date.now(),
  });
  await page.reload();
  const item = page.getByRole('listitem').filter({ hasText: 'Penerbitan Paspor Baru' });
  await expect(item).toContainText('Ditolak server', { timeout: 20_000 });
  await expect(item).toContainText('U1');
  await expect(page.locator('.outbox-refused')).toContainText('1 tidak terkirim');

  // It survives a reload and further syncs.
  await page.reload();
  await expect(item).toContainText('Ditolak server');
  expect(await outboxIds(page)).toEqual([id]);

  await item.getByRole('button', { name: 'Buang' }).click();
  await item.getByRole('button', { name: 'Ya, buang' }).click();
  await expect(page.getByText('Tidak ada tanggapan yang tertinggal di perangkat ini.')).toBeVisible();
  expect(await outboxIds(page)).toEqual([]);
  expect(await server.responseIds()).toEqual([]);
  await context.close();
});

test('an outbox left by schema version 1 is upgraded with its records, which are then sent', async ({
  browser,
}) => {
  const context = await browser.newContext({ baseURL: server.url, serviceWorkers: 'block' });
  const page = await context.newPage();
  // A blank page of the origin, without the app, to build the old database.
  await page.goto('/healthz');
  const id = crypto.randomUUID();
  const response = {
    id,
    service_id: await serviceId('paspor-baru-jaksel'),
    questionnaire_id: 'skm-2017',
    questionnaire_version: 1,
    answered_at: new Date().toISOString(),
    channel: 'link',
    scores: { U1: 3, U2: 4 },
  };
  await putRecord(
    page,
    {
      id,
      response: JSON.stringify(response),
      state: 'pending',
      reason: null,
      service_name: 'Penerbitan Paspor Baru',
      queued_at_ms: Date.now(),
    },
    1,
  );
  await page.goto('/');
  await waiting(page, 0, 30_000);
  const schema = await page.evaluate(
    () =>
      new Promise<{ version: number; stores: string[] }>((resolve) => {
        const open = indexedDB.open('suara');
        open.onsuccess = () => {
          const db = open.result;
          resolve({ version: db.version, stores: Array.from(db.objectStoreNames).sort() });
          db.close();
        };
      }),
  );
  expect(schema).toEqual({ version: 4, stores: ['complaints', 'files', 'meta', 'outbox'] });
  expect(await server.responseIds()).toEqual([id]);
  await expect(outboxStatus(page)).not.toContainText('belum pernah');
  await context.close();
});

test('a new version installs in the background and takes over only on the citizen\'s consent', async ({
  browser,
}) => {
  const { context, page } = await openService(browser);
  const shellCaches = () =>
    page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('suara-shell-')));
  const before = await shellCaches();
  expect(before).toHaveLength(1);

  await server.deployNewBuild();
  const build = (await (await fetch(`${server.url}/sw.js`)).text()).match(/build (\w+)/)![1];
  expect(before[0]).not.toBe(`suara-shell-${build}`);
  await page.reload();
  const reload = page.getByRole('button', { name: 'Muat ulang' });
  await expect(reload).toBeVisible({ timeout: 30_000 });
  // Until the citizen agrees, the new version only waits.
  const waitingWorker = () =>
    page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state ?? null);
  expect(await waitingWorker()).toBe('installed');
  expect(await shellCaches()).toEqual(expect.arrayContaining(before));

  // Consent: the new worker takes over and the page reloads itself.
  await Promise.all([page.waitForEvent('load'), reload.click()]);
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  await expect.poll(shellCaches, { timeout: 20_000 }).toEqual([`suara-shell-${build}`]);
  expect(await waitingWorker()).toBeNull();
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  await expect(reload).toHaveCount(0);
  await context.close();
});

test('offline, the page keeps the language the citizen chose', async ({ browser }) => {
  const { context, page } = await openService(browser);
  await expect(page.locator('form[data-ready="true"]')).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('button', { name: 'Submit', exact: true })).toBeVisible();
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('group', { name: 'Requirements' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Submit', exact: true })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(outboxStatus(page)).toContainText('0 responses waiting to be sent');
  await context.close();
});
