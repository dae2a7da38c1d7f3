import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  CSP_DIRECTIVES,
  DEV_SERVER_CONTENT_SECURITY_POLICY,
  DEV_SERVER_META_CONTENT_SECURITY_POLICY,
  META_CONTENT_SECURITY_POLICY,
} from './csp';
import { createWindowOptions } from './window-options';

describe('createWindowOptions', () => {
  const options = createWindowOptions({ preloadPath: '/app/out/preload/index.js' });
  const prefs = options.webPreferences ?? {};

  it('isolates and sandboxes the renderer without Node integration', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and webviews, insecure content and drop-navigation off', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('loads the given preload bundle', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.js');
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources] as const;
    }),
  );

  it('allows scripts, connections and everything by default only from the app itself', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
  });

  it('allows inline styles, blob: workers and data: images, which the diff viewer needs', () => {
    expect(directives.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(directives.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(directives.get('img-src')).toEqual(["'self'", 'data:']);
  });

  it('forbids plugins, base URLs and framing', () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('never allows unsafe-eval, or unsafe-inline outside style-src', () => {
    for (const [name, sources] of Object.entries(CSP_DIRECTIVES)) {
      expect(sources, name).not.toContain("'unsafe-eval'");
      if (name !== 'style-src') expect(sources, name).not.toContain("'unsafe-inline'");
    }
  });

  it('is the policy of the <meta> in src-renderer/index.html, plus frame-ancestors (header only)', () => {
    const html = readFileSync(join(__dirname, '../src-renderer/index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);
    expect(meta?.[1]).toBe(META_CONTENT_SECURITY_POLICY);
    expect(META_CONTENT_SECURITY_POLICY).not.toContain('frame-ancestors');
    expect(CONTENT_SECURITY_POLICY).toBe(`${META_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
  });

  it('is relaxed for the dev server only by an inline script-src, for the React Refresh preamble', () => {
    const inline = (policy: string) =>
      policy.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");
    expect(DEV_SERVER_CONTENT_SECURITY_POLICY).toBe(inline(CONTENT_SECURITY_POLICY));
    expect(DEV_SERVER_META_CONTENT_SECURITY_POLICY).toBe(inline(META_CONTENT_SECURITY_POLICY));
  });
});
