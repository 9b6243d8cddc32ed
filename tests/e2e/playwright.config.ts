import { defineConfig } from '@playwright/test'

// Runs against a real `aitrader up` that scripts/e2e.sh starts (AITRADER_E2E_URL), in Debian's
// Chromium (no browser download). Screenshots of each flow go to tests/e2e/output/.
export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts/,
  outputDir: './output/artifacts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: process.env.AITRADER_E2E_URL ?? 'http://127.0.0.1:18482',
    viewport: { width: 1366, height: 768 }, // a common laptop screen
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--no-first-run'],
    },
  },
})
