// The browser tests of the web app. They run against a server the Go
// test in e2e/ starts (EXPORTWATCH_URL), in Debian's chromium: Playwright
// cannot download its own browsers on machines without the internet.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'e2e/out/results',
  // Two browsers at once for the pages that only read (a page spends
  // much of its time waiting on the server and the database); the
  // editors' journeys change the graph, so they run after those, one at
  // a time, and no reading test sees a half-made edit.
  workers: 2,
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
  projects: [
    { name: 'reading', testMatch: /(views|journeys)\.spec\.ts/, fullyParallel: true },
    { name: 'editing', testMatch: /editing\.spec\.ts/, dependencies: ['reading'] },
  ],
});
