// The web app's figures, against a running server (bench/webbench starts
// one): node measure.mjs URL VENDOR-ID RUNS. Printed, not pass/fail.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright');

const [, , base, vendor, runsArg] = process.argv;
const runs = Number(runsArg || 20);
const browser = await chromium.launch({ executablePath: process.env.EXPORTWATCH_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// 1. JavaScript and CSS per view, as sent (gzip), from a cold cache.
const views = [
  ['home (with the map)', '/', '.world-map svg'],
  ['entity', '/entity/company/sandvine', '.all-claims .claim'],
  ['graph view', '/entity/company/sandvine?view=graph', '.graph-canvas canvas'],
  ['paths', '/paths?from=company%2Fsandvine&to=body%2Fby-ntec', '.path'],
  ['timeline', '/entity/country:AZ?view=timeline', '.timeline-year'],
  ['brief and export', '/entity/company/sandvine?view=brief', 'iframe.brief-preview'],
];
console.log('== JavaScript and CSS per view, gzipped as sent (budget: 150 KB without the graph view, 450 KB with it)');
for (const [name, path, ready] of views) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const sizes = { js: 0, css: 0 };
  const pending = [];
  page.on('requestfinished', (req) => {
    const url = new URL(req.url());
    if (!url.pathname.startsWith('/assets/')) return;
    pending.push(
      req.sizes().then((s) => {
        const kind = url.pathname.endsWith('.css') ? 'css' : 'js';
        sizes[kind] += s.responseBodySize;
      }),
    );
  });
  await page.goto(base + path);
  await page.locator(ready).first().waitFor({ state: 'attached', timeout: 30000 });
  await page.waitForLoadState('networkidle');
  await Promise.all(pending);
  const total = (sizes.js + sizes.css) / 1024;
  const budget = name === 'graph view' ? 450 : 150;
  console.log(`${name.padEnd(20)} js ${(sizes.js / 1024).toFixed(1).padStart(6)} KB  css ${(sizes.css / 1024).toFixed(1).padStart(5)} KB  total ${total.toFixed(1).padStart(6)} KB  of ${budget} KB: ${(total / budget).toFixed(2)}`);
  await context.close();
}

// 2. Navigation to the entity page's evidence, warm cache (a person who
// has the app open), beside the API's answer to the same query fetched by
// the same browser.
const context = await browser.newContext();
const page = await context.newPage();
await page.goto(base + '/entity/company/sandvine');
await page.locator('.all-claims details.evidence > summary').first().waitFor();
const pageTimes = [];
const apiTimes = [];
for (let i = 0; i < runs; i++) {
  await page.goto(base + '/entity/company/sandvine', { waitUntil: 'commit' });
  await page.locator('.all-claims details.evidence > summary').first().waitFor({ state: 'visible' });
  pageTimes.push(await page.evaluate(() => performance.now()));
  apiTimes.push(
    await page.evaluate(async () => {
      const t0 = performance.now();
      const resp = await fetch('/graphql', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          query: '{ entity(id: "company/sandvine") { id name claims(first: 100) { id relation status evidence { quote document { url title publisher } } } } }',
        }),
      });
      await resp.json();
      return performance.now() - t0;
    }),
  );
}
const pageMs = median(pageTimes);
const apiMs = median(apiTimes);
console.log(`\n== navigation to the entity page's evidence (Sandvine), median of ${runs} (target: under 300 ms)`);
console.log(`page ${pageMs.toFixed(0)} ms   the API's answer alone ${apiMs.toFixed(0)} ms   ratio ${(pageMs / apiMs).toFixed(2)}   under 300 ms: ${pageMs < 300}`);
await context.close();

// 3. Frames per second while a 500-node neighbourhood is dragged, beside
// the same page idle.
const g = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
await g.goto(`${base}/entity/${vendor}?view=graph&depth=3&limit=500`);
await g.waitForFunction(() => (window.__cy?.nodes().length ?? 0) > 1, null, { timeout: 60000 });
const nodes = await g.evaluate(() => window.__cy.nodes().length);
const edges = await g.evaluate(() => window.__cy.edges().length);
const countFrames = (ms) =>
  g.evaluate(
    (ms) =>
      new Promise((done) => {
        let frames = 0;
        const t0 = performance.now();
        const tick = () => {
          frames++;
          if (performance.now() - t0 < ms) requestAnimationFrame(tick);
          else done(frames / ((performance.now() - t0) / 1000));
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
const idle = await countFrames(2000);
const start = await g.evaluate(() => {
  const cy = window.__cy;
  const n = cy.nodes()[0];
  const p = n.renderedPosition();
  const r = cy.container().getBoundingClientRect();
  return { x: r.left + p.x, y: r.top + p.y };
});
// Drag the first node in a circle for three seconds, one move per frame.
const during = countFrames(3000);
await g.mouse.move(start.x, start.y);
await g.mouse.down();
const t0 = Date.now();
for (let i = 0; Date.now() - t0 < 3000; i++) {
  const a = i / 15;
  await g.mouse.move(start.x + 80 * Math.cos(a), start.y + 80 * Math.sin(a));
}
await g.mouse.up();
const dragging = await during;
console.log(`\n== dragging a node of a ${nodes}-node, ${edges}-edge neighbourhood (depth 3, limit 500)`);
console.log(`dragging ${dragging.toFixed(0)} frames/s   idle ${idle.toFixed(0)} frames/s   ratio ${(dragging / idle).toFixed(2)}`);
await browser.close();
