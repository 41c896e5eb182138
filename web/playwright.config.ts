// The browser tests of the web app. They run against a server the Go
// test in e2e/ starts (EXPORTWATCH_URL), in Debian's chromium: Playwright
// cannot download its own browsers on machines without the internet.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'e2e/out/results',
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: process.env.EXPORTWATCH_URL ?? 'http://127.0.0.1:8080',
    launchOptions: {
      executablePath: process.env.EXPORTWATCH_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox'],
    },
    viewport: { width: 1280, height: 900 },
    trace: 'off',
  },
});
