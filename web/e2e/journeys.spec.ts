// The journeys an investigator makes, each from a fresh page, on the seed
// and a record file of hostile text (testdata/hostile.jsonl).
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
    await expect(page.getByRole('option').first()).toContainText('Sandvine');
  }
  await search.fill('zzqxj');
  await expect(page.getByText(/No name or alias matches/)).toBeVisible();
});

test('text from sources is shown as text, and no script in it runs', async ({ page }) => {
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
    // Nothing a source wrote became an element.
    expect(await page.locator('main script, main img').count()).toBe(0);
  }
  await page.goto('/entity/company/hostile-vendor');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Hostile Vendor <script>window.__pwned = "script"</script>');
  await page.locator('section.all-claims details.evidence > summary').first().click();
  await expect(page.locator('blockquote.quote').first()).toContainText(`Quote <script>window.__pwned = "script"</script><img src=x onerror="window.__pwned = 'img'">`);
  await expect(page.locator('.doc-title').first()).toContainText('Report <script>');
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

test('a country page lists its suppliers with the quote behind each', async ({ page }) => {
  await page.goto('/entity/country:AZ');
  const suppliers = page.locator('section.suppliers');
  for (const vendor of [/^Allot\b/, /^Sandvine\b/, /^NICE\b/]) {
    await expect(suppliers.locator('.transfer', { has: page.getByRole('link', { name: vendor }) }).first()).toBeVisible();
  }
  const allot = suppliers.locator('.transfer', { has: page.getByRole('link', { name: /^Allot\b/ }) }).first();
  await allot.getByText(/Claims and evidence/).click();
  await expect(allot.locator('.publisher', { hasText: /IPHR|International Partnership for Human Rights/ }).first()).toBeVisible();
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
