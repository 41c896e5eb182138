// Every view at a desktop's and a phone's width: no serious or critical
// accessibility violation (axe-core), nothing wider than the screen, and
// a screenshot in e2e/out/shots for a person to look at.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

const views: [string, string, string][] = [
  ['home', '/', 'Who sold surveillance technology to whom'],
  ['vendor', '/entity/company/sandvine', 'Sandvine'],
  ['country', '/entity/country:AZ', 'Azerbaijan'],
  ['body', '/entity/body/by-ntec', 'National Traffic Exchange Center'],
  ['product', '/entity/product/netenforcer', 'NetEnforcer'],
  ['person', '/entity/person/ahmed-eltantawy', 'Ahmed Eltantawy'],
  ['incident', '/entity/incident/armenia-pegasus-2020-2022', 'Pegasus targeting of 12 people working in Armenia, 2020–2022'],
  ['vendor-graph', '/entity/company/sandvine?view=graph&depth=2&sel=e%3Acompany%2Fsandvine%7CSUPPLIED%7Cbody%2Fby-ntec', 'Sandvine'],
  ['country-timeline', '/entity/country:AZ?view=timeline', 'Azerbaijan'],
  ['vendor-brief', '/entity/company/sandvine?view=brief', 'Sandvine'],
  ['vendor-brief-as-of', '/entity/company/sandvine?view=brief&asOf=2016-06-01', 'Sandvine'],
  ['paths', '/paths?from=company%2Fsandvine&to=body%2Fby-ntec', 'Paths between two entities'],
  ['not-found', '/entity/company/no-such-vendor', 'No such entity'],
];

for (const width of [1280, 390]) {
  for (const [name, path, heading] of views) {
    test(`${name} at ${width} px`, async ({ page }) => {
      await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await expect(page.locator('main')).not.toContainText('Loading');
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, 'the page is wider than the screen').toBeLessThanOrEqual(0);
      await page.screenshot({ path: `e2e/out/shots/${name}-${width}.png`, fullPage: true });
    });
  }
}
