// The waiting-room display: a TV in a unit's waiting room shows what the
// unit published and the QR code to rate, and changes by itself when the
// unit publishes — nobody touches the screen. No wasm; axe-core passes on
// the TV and at 320 px.
import { test, expect, signIn, noViolations, docShot } from './support/fixtures';
import { rateService } from './support/catalog';

test('the waiting-room display changes by itself when the unit publishes', async ({ browser, request }) => {
  const tv = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1, isMobile: false });
  const screen = await tv.newPage();
  const listening = screen.waitForResponse((r) => r.url().endsWith('/api/v1/public/units/kanim-bandung/events'));
  await screen.goto('/layar/kanim-bandung?layanan=paspor-baru-bandung');
  await expect(screen.locator('h1')).toHaveText('Kantor Imigrasi Kelas I TPI Bandung');
  await expect(screen.getByText('Belum ada periode yang dipublikasikan.')).toBeVisible();
  await expect(screen.locator('[data-figure="qr"]')).toHaveAttribute('data-link', /\/s\/paspor-baru-bandung$/);
  await expect(screen.locator('[data-figure="qr"] svg')).toBeVisible();
  expect(await screen.locator('script[type="module"]').count()).toBe(0);
  expect((await listening).status()).toBe(200);

  // Eleven ratings (fewer publish their count alone), then the month is published.
  await rateService(request, 'paspor-baru-bandung', [4, 3, 4, 4, 3, 4, 3, 4, 4, 3, 4]);
  const desk = await browser.newContext();
  const admin = await desk.newPage();
  await signIn(admin, 'admin@suara.test');
  const now = new Date();
  const month = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
  const r = await admin.request.post('/api/v1/publications', {
    data: { unit: 'kanim-bandung', period: month },
    headers: { origin: new URL(admin.url()).origin },
  });
  expect(r.status()).toBe(201);

  // The screen reloads itself and shows the grade, the index and the count.
  await expect(screen.locator('[data-figure="grade"]')).toHaveText(/^[A-D]$/, { timeout: 15_000 });
  await expect(screen.locator('[data-figure="n"]')).toHaveText('11');
  await expect(screen.locator('.layar-items li')).toHaveCount(3);
  await docShot(screen, 'display-tv');
  await noViolations(screen, 'tv');
  // A portrait screen or a phone: one column, nothing cut off.
  await screen.setViewportSize({ width: 320, height: 640 });
  await noViolations(screen, '320 px');
  await screen.screenshot({ path: '/tmp/display-320.png', fullPage: true });
  await screen.goto('/layar/kanim-bandung?lang=en');
  await expect(screen.locator('html')).toHaveAttribute('lang', 'en');
  await expect(screen.getByRole('heading', { name: 'Rate our service' })).toBeVisible();
  await noViolations(screen, 'english');
  await desk.close();
  await tv.close();
});
