import { describe, expect, it } from 'vitest';
import { isAppPageUrl } from './app-page-url';

describe('isAppPageUrl', () => {
  const fileApp = 'file:///opt/llm386/out/renderer/index.html';

  it('accepts the loaded file page, with any hash or query', () => {
    expect(isAppPageUrl(fileApp, fileApp)).toBe(true);
    expect(isAppPageUrl(`${fileApp}#/turns/3`, fileApp)).toBe(true);
  });

  it('refuses another file, another scheme, a missing or malformed URL', () => {
    expect(isAppPageUrl('file:///etc/passwd', fileApp)).toBe(false);
    expect(isAppPageUrl('https://example.com/', fileApp)).toBe(false);
    expect(isAppPageUrl(undefined, fileApp)).toBe(false);
    expect(isAppPageUrl('not a url', fileApp)).toBe(false);
  });

  it('compares origins for the dev server', () => {
    const devApp = 'http://localhost:5173/';
    expect(isAppPageUrl('http://localhost:5173/some/route', devApp)).toBe(true);
    expect(isAppPageUrl('http://localhost:5174/', devApp)).toBe(false);
    expect(isAppPageUrl('https://localhost:5173/', devApp)).toBe(false);
  });
});
