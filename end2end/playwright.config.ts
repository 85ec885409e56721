import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunch } from './chromium.mjs';

// The server under test: the debug build, on a port chosen by the Makefile
// (E2E_PORT), over a fresh SQLite file with the demo catalogue.
const port = Number(process.env.E2E_PORT ?? 3199);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/results.json' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunch,
  },
  projects: [{ name: 'phone', use: { ...devices['Pixel 5'], browserName: 'chromium' } }],
  webServer: {
    command: `bash ./start-server.sh ${port}`,
    url: `${baseURL}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
