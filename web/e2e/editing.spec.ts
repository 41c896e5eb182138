// Editors in the app: sign in with a key, review a claim and see the
// change everywhere at once, undo it; a reader sees no editor controls and
// is refused every change; a change without the CSRF token is refused.
// The keys come from the Go test that serves the app.
import AxeBuilder from '@axe-core/playwright';
import { Page, expect, test } from '@playwright/test';

const editorKey = process.env.EXPORTWATCH_E2E_EDITOR_KEY ?? '';
const readerKey = process.env.EXPORTWATCH_E2E_READER_KEY ?? '';

async function signIn(page: Page, key: string, next = '/') {
  await page.goto('/signin?next=' + encodeURIComponent(next));
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(next.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$'));
}

test.skip(!editorKey || !readerKey, 'the keys are set by the Go test (go test ./web/e2e)');

test('a wrong key is refused next to the field', async ({ page }) => {
  await page.goto('/signin');
  await page.getByLabel('API key').fill('ew_not_a_key');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('the API key is not valid');
  await expect(page.getByLabel('API key')).toHaveAttribute('aria-invalid', 'true');
});

test('an editor confirms a claim, sees the badge and the edge change at once, and undoes it', async ({ page }) => {
  await signIn(page, editorKey, '/entity/company/probe-systems');
  await expect(page.getByRole('banner')).toContainText('editor-e2e (editor)');
  const claim = page.locator('section.all-claims .claim', { hasText: 'supplied' }).first();
  await expect(claim.locator('.badge').first()).toHaveText('reported');
  await claim.getByText('Review', { exact: true }).click();
  await claim.getByLabel('Note (what you checked)').fill('Read the delivery note');
  await claim.getByRole('button', { name: 'Confirm' }).click();
  await expect(claim.locator('.badge').first()).toHaveText('confirmed');
  await expect(claim.locator('.reviewed')).toContainText('editor-e2e reviewed it');
  await expect(claim.locator('.reviewed')).toContainText('Read the delivery note');
  // The transfer (the edge's strongest status) follows at once.
  await expect(page.locator('section.buyers .transfer .badge').first()).toHaveText('confirmed');
  // A reload keeps it: the change is the server's.
  await page.reload();
  await expect(page.locator('section.all-claims .claim', { hasText: 'supplied' }).first().locator('.badge').first()).toHaveText('confirmed');
  const again = page.locator('section.all-claims .claim', { hasText: 'supplied' }).first();
  await again.getByText('Review', { exact: true }).click();
  await again.getByRole('button', { name: 'Undo the review' }).click();
  await expect(again.locator('.badge').first()).toHaveText('reported');
  await expect(page.locator('section.buyers .transfer .badge').first()).toHaveText('reported');
  // Signing out ends it: no controls, and the header offers sign-in.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto('/entity/company/probe-systems');
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('Review', { exact: true })).toHaveCount(0);
});

test('a change sent without the CSRF token is refused', async ({ page }) => {
  await signIn(page, editorKey, '/entity/company/probe-systems');
  const status = await page.evaluate(async () => {
    const resp = await fetch('/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { undoReview(id: "claim:x") { id } }' }),
    });
    return [resp.status, (await resp.json()).errors[0].extensions.code];
  });
  expect(status).toEqual([403, 'FORBIDDEN']);
});

test("a reader's session shows no editor controls and is refused every change", async ({ page }) => {
  await signIn(page, readerKey, '/entity/company/probe-systems');
  await expect(page.getByRole('banner')).toContainText('reader-e2e (reader)');
  await expect(page.locator('section.all-claims .claim').first()).toBeVisible();
  await expect(page.getByText('Review', { exact: true })).toHaveCount(0);
  const codes = await page.evaluate(async () => {
    const s = await (await fetch('/session')).json();
    const out: string[] = [];
    for (const m of [
      'mutation { reviewClaim(id: "claim:x", status: confirmed) { id } }',
      'mutation { undoReview(id: "claim:x") { id } }',
      'mutation { mergeEntities(keep: "company/allot", merge: "company/nice") { id } }',
      'mutation { acceptSuggestion(id: "suggestion:x") { id } }',
      'mutation { rejectSuggestion(id: "suggestion:x") { id } }',
      'mutation { editEntity(id: "company/allot", edit: {description: "x"}) { id } }',
      'mutation { createEntity(input: {type: Company, name: "x"}) { id } }',
    ]) {
      const resp = await fetch('/graphql', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf },
        body: JSON.stringify({ query: m }),
      });
      out.push((await resp.json()).errors[0].extensions.code);
    }
    return out;
  });
  expect(codes).toEqual(Array(7).fill('FORBIDDEN'));
  await expect(page.getByRole('button', { name: 'Edit this entity' })).toHaveCount(0);
});

test('an editor decides a judgement as the same by keyboard, sees one entity, and undoes it', async ({ page, context }) => {
  test.slow(); // a merge and its undo are the heaviest writes an editor makes
  await signIn(page, editorKey, '/review?queue=judgements');
  const item = page.locator('.queue-item', { hasText: 'NICE Systems' });
  await expect(item).toBeVisible();
  await expect(item.locator('.side').first()).toContainText('NICE Ltd.');
  await expect(item.locator('.explanation')).toContainText('Score');
  await page.getByLabel('Note on this decision').fill('Same company, older name');
  await page.locator('h1').click(); // the keys act when no field has the focus
  await page.keyboard.press('s');
  await expect(page.getByRole('status').filter({ hasText: 'Decided: Same' })).toBeVisible();
  // In another tab: NICE Ltd. now answers to the newcomer's name.
  const other = await context.newPage();
  await other.goto('/entity/company/nice');
  await expect(other.locator('.facts')).toContainText('NICE Systems');
  // Undo: the two are two again. Undoing a merge moves every claim back
  // and rebuilds their edges, which on a machine also running the unit
  // tests has taken longer than the default ten seconds.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Decided: Same' })).toHaveCount(0, { timeout: 30_000 });
  await expect(page.locator('.queue-item', { hasText: 'NICE Systems' })).toBeVisible();
  await other.reload();
  await expect(other.getByRole('heading', { level: 1, name: 'NICE Ltd.' })).toBeVisible();
  await expect(other.locator('.facts')).not.toContainText('NICE Systems');
});

test('an editor accepts a suggestion, and it becomes a reported claim quoting its sentence', async ({ page }) => {
  await signIn(page, editorKey, '/review?queue=suggestions');
  const item = page.locator('.queue-item', { hasText: 'may have reached the State Security Service of Uzbekistan' });
  await expect(item).toBeVisible();
  await page.getByRole('button', { name: /Accept/ }).click();
  await expect(page.locator('.queue-item', { hasText: 'State Security Service of Uzbekistan' })).toHaveCount(0);
  await page.goto('/entity/company/allot');
  const claim = page.locator('section.all-claims .claim', { hasText: 'State Security Service of Uzbekistan' });
  await expect(claim.locator('.badge').first()).toHaveText('reported');
  await claim.locator('details.evidence > summary').click();
  await expect(claim.locator('blockquote.quote')).toContainText('may have reached the State Security Service of Uzbekistan');
});

for (const width of [1280, 390]) {
  test(`the review queues at ${width} px pass axe-core`, async ({ page }) => {
    await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
    await signIn(page, editorKey, '/review?queue=suggestions');
    for (const q of ['suggestions', 'judgements', 'claims']) {
      await page.goto('/review?queue=' + q);
      await expect(page.getByRole('heading', { level: 1, name: 'Review' })).toBeVisible();
      await expect(page.locator('main')).not.toContainText('Loading');
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `e2e/out/shots/review-${q}-${width}.png`, fullPage: true });
    }
  });
}

test('the disputed and contested claims are a queue, moved through by keyboard', async ({ page }) => {
  await signIn(page, editorKey, '/review?queue=claims');
  const heading = page.getByRole('heading', { level: 2, name: /^1 of \d+$/ });
  await expect(heading).toBeVisible();
  await expect(page.locator('.queue-item .claim .badge').filter({ hasText: /disputed|contested/ }).first()).toBeVisible();
  await page.locator('h1').click();
  await page.keyboard.press('j');
  await expect(page.getByRole('heading', { level: 2, name: /^2 of \d+$/ })).toBeVisible();
  await expect(page).toHaveURL(/at=1/);
});

const pages = process.env.EXPORTWATCH_E2E_PAGES ?? '';

test('an editor adds a claim: a new party after its likely duplicates, a quote not in the page refused with the closest passage, the page\'s words accepted', async ({ page }) => {
  await signIn(page, editorKey, '/claims/new');
  await page.getByRole('button', { name: 'Not in the graph? Create the subject' }).click();
  const form = page.locator('fieldset.new-entity');
  await form.getByLabel('Name').fill('Probe Systems');
  await expect(form.locator('.duplicates')).toContainText('Probe Systems Ltd.');
  await form.getByLabel('Name').fill('Northgate Interception GmbH');
  await form.getByLabel('Country (ISO code)').fill('DE');
  await form.getByRole('button', { name: /^Create/ }).click();
  await expect(page.locator('.party-subject .chosen')).toContainText('Northgate Interception GmbH');
  await page.getByRole('combobox', { name: 'Object' }).fill('Uzbekistan');
  await page.getByRole('option', { name: /^Uzbekistan/ }).click();
  await page.getByLabel('From').fill('2022');
  await page.getByLabel('Stage').selectOption('delivered');
  await page.getByLabel('Address of the page').fill(pages + '/northgate-tashkent.html');
  await page.getByLabel('Quote, word for word').fill('interception servers made by Northgate Interception GmbH were flown to Tashkent');
  await page.getByRole('button', { name: 'Add the claim' }).click();
  await expect(page.locator('.field-error').filter({ hasText: "not in the page's text" })).toBeVisible();
  await expect(page.locator('.closest blockquote')).toContainText('were shipped to Tashkent in the autumn of 2022');
  await page.screenshot({ path: 'e2e/out/shots/add-claim-refused.png', fullPage: true });
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await page.getByRole('button', { name: 'Quote this passage instead' }).click();
  await page.getByRole('button', { name: 'Add the claim' }).click();
  await expect(page).toHaveURL(/\/entity\/company:/);
  await expect(page.getByRole('heading', { level: 1, name: 'Northgate Interception GmbH' })).toBeVisible();
  const claim = page.locator('section.all-claims .claim', { hasText: 'Uzbekistan' });
  await claim.locator('details.evidence > summary').click();
  await expect(claim.locator('blockquote.quote')).toContainText('were shipped to Tashkent');
  await expect(claim.locator('.doc-facts')).toContainText('.warc.gz#');
  await expect(claim.locator('.locator')).toContainText('¶1');
});

test('an editor edits an entity: a wrong LEI is refused beside its field, the edit is saved, and the audit log shows it before and after', async ({ page }) => {
  await signIn(page, editorKey, '/entity/company/probe-systems');
  await page.getByRole('button', { name: 'Edit this entity' }).click();
  const form = page.getByRole('form', { name: 'Edit Probe Systems Ltd.' });
  await form.getByLabel('Add a name').fill('Probe Systems');
  await form.getByLabel('Identifier value').fill('5493001KJTIIGC8Y1R13');
  await form.getByRole('button', { name: 'Save the changes' }).click();
  await expect(form.locator('.field-error')).toContainText('check digits');
  await form.getByLabel('Identifier value').fill('5493001KJTIIGC8Y1R12');
  await form.getByRole('button', { name: 'Save the changes' }).click();
  await expect(form).toHaveCount(0);
  await expect(page.locator('.facts')).toContainText('5493001KJTIIGC8Y1R12');
  await expect(page.locator('.facts')).toContainText('Probe Systems');
  await page.getByRole('link', { name: 'Its changes' }).click();
  const event = page.locator('.audit-event[data-action="editEntity"]');
  await expect(event).toContainText('editor-e2e');
  await expect(event.locator('table.diff')).toContainText('id_lei');
  await expect(event.locator('table.diff ins').first()).toBeVisible();
  await page.screenshot({ path: 'e2e/out/shots/audit.png', fullPage: true });
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});

test('a reader watches a vendor and a country and gets their Atom feeds; a visitor is not offered it', async ({ page, browser }) => {
  const visitor = await browser.newPage();
  await visitor.goto('/entity/company/sandvine');
  await expect(visitor.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(visitor.getByRole('button', { name: 'Watch this' })).toHaveCount(0);
  await visitor.close();

  await signIn(page, readerKey, '/entity/company/sandvine');
  for (const [path, what] of [['/entity/company/sandvine', 'naming it'], ['/entity/country:AZ', 'about parties in it']]) {
    await page.goto(path);
    await page.getByRole('button', { name: 'Watch this' }).click();
    const status = page.getByRole('status').filter({ hasText: 'Watching' });
    await expect(status).toContainText(what);
    const href = await status.getByRole('link', { name: 'Atom feed' }).getAttribute('href');
    expect(href).toMatch(/^\/feeds\/watch\/[0-9a-f]{32}\.atom$/);
    const resp = await page.request.get(href!);
    expect(resp.status()).toBe(200);
    expect(resp.headers()['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(await resp.text()).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `e2e/out/shots/watch-${path.endsWith('AZ') ? 'country' : 'vendor'}-${width}.png` });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});
