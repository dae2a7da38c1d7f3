// Journey: web mode guards the store: the token check, the CSP, and inputs validated by every handler.
import { WEB_TOKEN_HEADER } from '../src-main/api/contract';
import { expect, test } from './fixtures';

test('refuses the API without the token header, or with a wrong one; the page alone holds no data', async ({
  playwright,
  inspector,
}) => {
  const anonymous = await playwright.request.newContext();
  // The page and its scripts are served to anyone on loopback (a deep link opens without the
  // token), but they are the build, not the store.
  const page = await anonymous.get(`${inspector.origin}/`);
  expect(page.status()).toBe(200);
  expect(await page.text()).not.toContain(inspector.store.dir);
  expect(
    (
      await anonymous.get(`${inspector.origin}/?token=${'x'.repeat(inspector.token.length)}`)
    ).status(),
  ).toBe(401);
  const api = await anonymous.post(`${inspector.origin}/api/store.info`, { data: {} });
  expect(api.status()).toBe(401);
  expect(await api.text()).not.toContain(inspector.store.dir);
  const wrong = await anonymous.post(`${inspector.origin}/api/store.info`, {
    data: {},
    headers: { [WEB_TOKEN_HEADER]: 'x'.repeat(inspector.token.length) },
  });
  expect(wrong.status()).toBe(401);
  // Neither a cookie nor the query carries the token any more: a 127.0.0.1 cookie reaches every local port.
  expect(
    (
      await anonymous.post(`${inspector.origin}/api/store.info`, {
        data: {},
        headers: { cookie: `llm386_token=${inspector.token}` },
      })
    ).status(),
  ).toBe(401);
  expect(
    (
      await anonymous.post(`${inspector.origin}/api/store.info?token=${inspector.token}`, {
        data: {},
      })
    ).status(),
  ).toBe(401);
  await anonymous.dispose();
});

test('answers the API with the token header, and rejects invalid input and unknown methods as data', async ({
  playwright,
  inspector,
}) => {
  const client = await playwright.request.newContext({
    extraHTTPHeaders: { [WEB_TOKEN_HEADER]: inspector.token },
  });
  const info = await client.post(`${inspector.origin}/api/store.info`, { data: {} });
  expect(info.status()).toBe(200);
  expect(await info.json()).toMatchObject({ ok: true, value: { path: inspector.store.dir } });
  const invalid = await client.post(`${inspector.origin}/api/blocks.get`, {
    data: { id: '../../etc/passwd' },
  });
  expect(await invalid.json()).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  const unknown = await client.post(`${inspector.origin}/api/store.delete`, { data: {} });
  expect(unknown.status()).toBe(404);
  expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  await client.dispose();
});

test('the printed URL’s token leaves the address bar and sets no cookie; a deep link without it opens in a new tab', async ({
  page,
  context,
  browser,
  inspector,
}) => {
  await page.goto(inspector.at('#/store'));
  await expect(page.getByRole('table', { name: 'Sessions' })).toContainText('trip-planner');
  // What stays is the open store's id (a deep link names its store), never the token.
  await expect(page).toHaveURL(new RegExp(`^${inspector.origin}/\\?store=[0-9a-f]{16}#/store$`));
  expect(page.url()).not.toContain(inspector.token);
  expect(await context.cookies()).toEqual([]);
  // A reload keeps working: the page kept the token.
  await page.reload();
  await expect(page.getByRole('table', { name: 'Sessions' })).toContainText('trip-planner');

  const deepLink = `${inspector.origin}/#/blocks?session=trip-planner&block=${inspector.store.ids.fact0}`;
  const tab = await context.newPage();
  await tab.goto(deepLink);
  await expect(tab.getByRole('region', { name: 'Block' }).getByLabel('Block text')).toHaveText(
    'The Louvre is closed on Tuesdays; the Musée d’Orsay is closed on Mondays.',
  );
  await tab.close();

  // Another browser profile never had the token: the same link opens the page, but no data.
  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  await strangerPage.goto(deepLink);
  await expect(strangerPage.getByRole('alert').first()).toContainText(
    'This page is not authorised',
  );
  await expect(strangerPage.getByText('The Louvre is closed on Tuesdays')).toHaveCount(0);
  await stranger.close();
});

test('serves the page with the strict CSP as a header and in the page', async ({
  page,
  inspector,
}) => {
  const response = await page.goto(inspector.url);
  const header = response?.headers()['content-security-policy'] ?? '';
  expect(header).toContain("script-src 'self'");
  expect(header).toContain("frame-ancestors 'none'");
  expect(header).not.toContain('unsafe-eval');
  const meta = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  expect(meta).toContain("default-src 'self'");
  // No inline script runs under this policy.
  const inlineRan = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inline = true';
    document.body.appendChild(script);
    return (window as unknown as { __inline?: boolean }).__inline === true;
  });
  expect(inlineRan).toBe(false);
});
