// The journeys an investigator makes, each from a fresh page, on the seed
// and a record file of hostile text (package records/hostile).
import { expect, test } from '@playwright/test';

test('search "Sandvine", open it, and see the Belarus supply with the Bloomberg quote and its link', async ({ page }) => {
  await page.goto('/');
  const search = page.getByRole('combobox', { name: /search/i });
  await search.fill('Sandvine');
  const hit = page.getByRole('option', { name: /^Sandvine\b/ });
  await expect(hit).toBeVisible();
  await search.press('Enter');
  await expect(page).toHaveURL(/\/entity\/company\/sandvine$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sandvine' })).toBeVisible();

  const belarus = page.locator('.buyer-country', { has: page.getByRole('heading', { name: 'Belarus' }) });
  const ntec = belarus.locator('.transfer', { has: page.getByRole('link', { name: 'National Traffic Exchange Center' }) });
  await ntec.getByText(/Claims and evidence/).click();
  const quote = page.locator('blockquote.quote', { hasText: "was obtained by Belarus's National Traffic Exchange Center" });
  const evidence = ntec.locator('.evidence-item', { has: quote });
  await expect(evidence.locator('blockquote.quote')).toBeVisible();
  await expect(evidence.getByText('Bloomberg', { exact: false }).first()).toBeVisible();
  await expect(evidence.locator('a.source-link')).toHaveAttribute('href', /^https:\/\/www\.bloomberg\.com\/news\/articles\/2020-08-28\//);
});

test('a search by typo, prefix and another script finds the same vendor', async ({ page }) => {
  await page.goto('/');
  const search = page.getByRole('combobox', { name: /search/i });
  for (const q of ['sandv', 'Sandvne', 'Сандвайн']) {
    await search.fill(q);
    // The list that answers this text, not the one before it.
    await expect(page.locator(`[role=listbox][data-query="${q}"]`).getByRole('option').first()).toContainText('Sandvine');
  }
  await search.fill('zzqxj');
  await expect(page.getByRole('status').filter({ hasText: 'No name or alias matches “zzqxj”' })).toBeVisible();
  await expect(page.getByRole('listbox')).toHaveCount(0);
});

test('text from sources is shown as text, and no script in it runs', async ({ page }) => {
  // Markup that reached the page would be stopped by its policy, and say
  // so: the page records every violation.
  await page.addInitScript(() => {
    (window as unknown as { __violations: string[] }).__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __violations: string[] }).__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  });
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  for (const path of ['/', '/entity/company/hostile-vendor', '/entity/body/hostile-buyer']) {
    await page.goto(path);
    await expect(page.locator('main')).not.toContainText('Loading');
    for (const d of await page.locator('details').all()) await d.evaluate((e) => ((e as HTMLDetailsElement).open = true));
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    // Nothing a source wrote became an element, and nothing was blocked.
    expect(await page.locator('main script, main img, main iframe, main object, main embed, main style').count()).toBe(0);
    expect(await page.locator('main svg').count()).toBe(await page.locator('.world-map > svg').count());
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    // A right-to-left override in a name or quote is closed within that
    // text, and the text isolated, so it cannot reorder the words around
    // it: in every text node, overrides open only inside an isolate,
    // nothing is closed that was not opened (a stray pop would end the
    // isolate of the element around it), and nothing is left open.
    const unisolated = await page.evaluate(() => {
      const out: string[] = [];
      const walker = document.createTreeWalker(document.querySelector('main')!, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n.textContent ?? '';
        if (!/[\u202A-\u202E\u2066-\u2069]/.test(text)) continue;
        const open: string[] = [];
        let bad = '';
        for (const ch of text) {
          if ('\u202A\u202B\u202D\u202E'.includes(ch)) {
            if (!open.includes('\u2069')) bad ||= 'an override outside an isolate';
            open.push('\u202C');
          } else if ('\u2066\u2067\u2068'.includes(ch)) {
            open.push('\u2069');
          } else if (ch === '\u202C' || ch === '\u2069') {
            if (!open.includes(ch)) bad ||= 'a stray closer';
            else open.splice(open.lastIndexOf(ch));
          }
        }
        if (open.length > 0) bad ||= 'left open';
        if (bad) out.push(`${bad}: ${text.slice(0, 60)}`);
      }
      return out;
    });
    expect(unisolated, path).toEqual([]);
  }
  await page.goto('/entity/company/hostile-vendor');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Vendor <script>window.__pwned="script"</script>');
  await page.locator('section.all-claims details.evidence > summary').first().click();
  await expect(page.locator('blockquote.quote').first()).toContainText(`Quote <script>window.__pwned="script"</script><img src=x onerror="window.__pwned='img'">`);
  await expect(page.locator('.doc-title').first()).toContainText('Report <script>');
  // A Markdown link in a name is text, and no link anywhere leaves http(s).
  await expect(page.locator('main')).toContainText("[open](javascript:window.__pwned='md')");
  for (const href of await page.locator('main a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href))) {
    expect(href).toMatch(/^https?:/);
  }
  expect(dialogs).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
});

test('an entity page by its URL restores on reload, and an unknown one says so', async ({ page }) => {
  await page.goto('/entity/country:AZ');
  await expect(page.getByRole('heading', { level: 1, name: 'Azerbaijan' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Azerbaijan' })).toBeVisible();
  await page.goto('/entity/company/no-such-vendor');
  await expect(page.getByRole('heading', { name: 'No such entity' })).toBeVisible();
  const resp = await page.goto('/no/such/view');
  expect(resp?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'No such page' })).toBeVisible();
});

test('from the map, open Azerbaijan and see Allot, Sandvine and NICE with the IPHR quote', async ({ page }) => {
  await page.goto('/');
  await page.locator('.world-map a[data-country="AZ"]').click();
  await expect(page).toHaveURL(/\/entity\/country:AZ$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Azerbaijan' })).toBeVisible();
  const suppliers = page.locator('section.suppliers');
  for (const vendor of [/^Allot\b/, /^Sandvine\b/, /^NICE\b/]) {
    const byIPHR = page.locator('.publisher', { hasText: 'International Partnership for Human Rights (IPHR)' });
    const t = suppliers.locator('.transfer', { has: page.getByRole('link', { name: vendor }) }).filter({ has: byIPHR }).first();
    await t.getByText(/Claims and evidence/).click();
    const claim = t.locator('.claim', { has: byIPHR }).first();
    await expect(claim.locator('.evidence-item', { has: byIPHR }).locator('blockquote.quote')).toBeVisible();
  }
});

test('when the database is down, the page says so instead of staying blank', async ({ page }) => {
  await page.route('**/graphql', (route) =>
    route.fulfill({
      status: 503,
      contentType: 'application/json',
      headers: { 'Retry-After': '1' },
      body: JSON.stringify({ errors: [{ message: 'the database is unavailable; try again shortly', extensions: { code: 'UNAVAILABLE' } }] }),
    }),
  );
  await page.goto('/entity/company/sandvine');
  await expect(page.getByRole('alert')).toContainText('The database is unavailable');
});

// edgePoint is where on the screen cytoscape draws the middle of the
// link from one entity to another.
async function edgePoint(page: import('@playwright/test').Page, from: string, to: string, rel: string) {
  await page.waitForFunction(() => ((window as unknown as { __cy?: { nodes(): { length: number } } }).__cy?.nodes().length ?? 0) > 1);
  return page.evaluate(
    ([from, to, rel]) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const cy = (window as any).__cy;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const e = cy.edges().filter((x: any) => x.source().id() === from && x.target().id() === to && x.data('rel') === rel)[0];
      const p = e.renderedMidpoint();
      const r = cy.container().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    },
    [from, to, rel],
  );
}

test("in Sandvine's graph view, clicking the edge to the National Traffic Exchange Center opens its evidence", async ({ page }) => {
  await page.goto('/entity/company/sandvine?view=graph');
  const p = await edgePoint(page, 'company/sandvine', 'body/by-ntec', 'supplied');
  await page.mouse.click(p.x, p.y);
  const panel = page.locator('.edge-panel');
  await expect(panel.getByRole('heading')).toContainText('National Traffic Exchange Center');
  await expect(panel.locator('blockquote.quote', { hasText: "was obtained by Belarus's National Traffic Exchange Center" })).toBeVisible();
  await expect(page).toHaveURL(/sel=e%3Acompany%2Fsandvine%7CSUPPLIED%7Cbody%2Fby-ntec/);
  // The URL holds the selection: a reload opens the same panel.
  await page.reload();
  await expect(page.locator('.edge-panel blockquote.quote', { hasText: "was obtained by Belarus's National Traffic Exchange Center" })).toBeVisible();
});

test('expanding a node adds its neighbours and moves nothing already drawn', async ({ page }) => {
  await page.goto('/entity/body/by-ntec?view=graph');
  await page.waitForFunction(() => ((window as unknown as { __cy?: { nodes(): { length: number } } }).__cy?.nodes().length ?? 0) > 1);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const positions = () => page.evaluate(() => Object.fromEntries((window as any).__cy.nodes().map((n: any) => [n.id(), n.position()])));
  const before = await positions();
  expect(Object.keys(before)).toContain('company/sandvine');
  await page.goto(page.url() + '&sel=n%3Acompany%2Fsandvine');
  await page.waitForFunction(() => ((window as unknown as { __cy?: { nodes(): { length: number } } }).__cy?.nodes().length ?? 0) > 1);
  const drawn = await positions();
  await page.getByRole('button', { name: /Expand/ }).click();
  await page.waitForFunction((n) => (window as unknown as { __cy: { nodes(): { length: number } } }).__cy.nodes().length > n, Object.keys(drawn).length);
  const after = await positions();
  expect(Object.keys(after).length).toBeGreaterThan(Object.keys(drawn).length);
  for (const [id, p] of Object.entries(drawn)) expect(after[id], id).toEqual(p);
  await expect(page).toHaveURL(/expand=company%2Fsandvine/);
});

test('the path from Sandvine to the National Traffic Exchange Center through Jet Infosystems', async ({ page }) => {
  await page.goto('/paths');
  const from = page.getByRole('combobox', { name: 'From' });
  await from.fill('Sandvine');
  await expect(page.getByRole('option').first()).toContainText('Sandvine');
  await from.press('Enter');
  const to = page.getByRole('combobox', { name: 'To' });
  await to.fill('National Traffic Exch');
  await expect(page.getByRole('option').first()).toContainText('National Traffic Exchange Center');
  await to.press('Enter');
  const via = page.locator('.path', { has: page.locator('.path-line', { hasText: 'Sandvine → Jet Infosystems → National Traffic Exchange Center' }) });
  await expect(via).toBeVisible();
  await expect(via.locator('.hop')).toHaveCount(2);
  await expect(page).toHaveURL(/from=company%2Fsandvine.*to=body%2Fby-ntec|to=body%2Fby-ntec.*from=company%2Fsandvine/);
  await page.reload();
  await expect(page.locator('.path-line', { hasText: 'Sandvine → Jet Infosystems → National Traffic Exchange Center' })).toBeVisible();
});

test("Azerbaijan's timeline shows its suppliers from 2009 and the 2020 shutdown", async ({ page }) => {
  await page.goto('/entity/country:AZ?view=timeline');
  const y2009 = page.locator('.timeline-year', { has: page.getByRole('heading', { name: '2009' }) });
  await expect(y2009.locator('.claim', { hasText: 'supplied' }).first()).toBeVisible();
  const y2020 = page.locator('.timeline-year', { has: page.getByRole('heading', { name: '2020' }) });
  await expect(y2020.getByRole('link', { name: /internet restrictions/ })).toBeVisible();
});

test('the Sandvine brief previews in the page and downloads as a PDF that opens', async ({ page }) => {
  await page.goto('/entity/company/sandvine?view=brief');
  await expect(page.frameLocator('iframe.brief-preview').getByRole('heading', { level: 1 })).toContainText('Sandvine');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'PDF' }).click()]);
  const path = await download.path();
  const fs = await import('node:fs');
  const head = fs.readFileSync(path!).subarray(0, 5).toString();
  expect(head).toBe('%PDF-');
  expect(download.suggestedFilename()).toBe('brief-company-sandvine.pdf');
  // As the graph held it on a day before the seed was loaded: under the
  // name then in use, with none of today's claims, and the date on the
  // downloads too.
  const asOf = page.getByRole('textbox', { name: 'As the graph held it on' });
  await asOf.fill('2016-06-01');
  await asOf.press('Tab'); // the field is read when it changes, as Since is
  await expect(page.locator('.brief-facts')).toContainText('0 claims');
  await expect(page.locator('.brief-facts')).toContainText('as the graph held it on 2016-06-01');
  await expect(page.frameLocator('iframe.brief-preview').getByRole('heading', { level: 1 })).toContainText('Procera Networks');
  await expect(page.getByRole('link', { name: 'PDF' })).toHaveAttribute('href', /asOf=2016-06-01/);
  await asOf.fill('1 June');
  await asOf.press('Tab');
  await expect(page.getByRole('alert')).toContainText('is not a date');
  // A brief that cannot be written says why, and offers no download.
  await page.goto('/entity/country:BY?view=brief&kind=vendor');
  await expect(page.getByRole('alert')).toContainText('cannot be the subject of a vendor brief');
  await expect(page.getByRole('link', { name: 'PDF' })).toHaveCount(0);
});

test("a supply made while the supplier was on a list says so, on the buyer's page and the vendor's", async ({ page }) => {
  for (const path of ['/entity/body/xx-interior', '/entity/company/probe-systems']) {
    await page.goto(path);
    await expect(page.locator('.transfer .listed-then')).toContainText("At this transfer's date (2021-06) Probe Systems Ltd. was on the Entity List of Bureau of Industry and Security");
  }
  // And a supply before the listing says nothing of it.
  await page.goto('/entity/company/sandvine');
  await expect(page.locator('.buyer-country').first()).toBeVisible();
  await expect(page.locator('.listed-then')).toHaveCount(0);
});
