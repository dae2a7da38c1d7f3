// Journey: web mode guards the store: the token check, the CSP, and inputs validated by every handler.
import { expect, test } from './fixtures';

test('refuses the page and the API without the token, or with a wrong one', async ({ playwright, inspector }) => {
  // A fresh request context: no cookie from an earlier page visit.
  const anonymous = await playwright.request.newContext();
  const page = await anonymous.get(`${inspector.origin}/`);
  expect(page.status()).toBe(401);
  expect(await page.text()).not.toContain('<div id="root">');
  const api = await anonymous.post(`${inspector.origin}/api/store.info`, { data: {} });
  expect(api.status()).toBe(401);
  expect(await api.text()).not.toContain(inspector.store.dir);
  const wrong = await anonymous.post(`${inspector.origin}/api/store.info?token=${'x'.repeat(inspector.token.length)}`, { data: {} });
  expect(wrong.status()).toBe(401);
  await anonymous.dispose();
});

test('answers the API with the token, and rejects invalid input and unknown methods as data', async ({ playwright, inspector }) => {
  const client = await playwright.request.newContext();
  const auth = `?token=${inspector.token}`;
  const info = await client.post(`${inspector.origin}/api/store.info${auth}`, { data: {} });
  expect(info.status()).toBe(200);
  expect(await info.json()).toMatchObject({ ok: true, value: { path: inspector.store.dir } });
  const invalid = await client.post(`${inspector.origin}/api/blocks.get${auth}`, { data: { id: '../../etc/passwd' } });
  expect(await invalid.json()).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  const unknown = await client.post(`${inspector.origin}/api/store.delete${auth}`, { data: {} });
  expect(unknown.status()).toBe(404);
  expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  await client.dispose();
});

test('serves the page with the strict CSP as a header and in the page', async ({ page, inspector }) => {
  const response = await page.goto(inspector.url);
  const header = response?.headers()['content-security-policy'] ?? '';
  expect(header).toContain("script-src 'self'");
  expect(header).toContain("frame-ancestors 'none'");
  expect(header).not.toContain('unsafe-eval');
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
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
