import { describe, expect, it } from 'vitest';
import { httpClient } from './client';
import { adoptUrlToken, TOKEN_HEADER, TOKEN_STORAGE_KEY, type TokenHost } from './web-token';

const TOKEN = 'a-token-of-the-printed-url-0123456789';

/** A window's location, history and localStorage, in memory. */
function fakeHost(href: string, storage: 'ok' | 'throws' | 'none' = 'ok') {
  const items = new Map<string, string>();
  const host = {
    location: { href },
    replaced: [] as string[],
    items,
    history: {
      state: { kept: true },
      replaceState(data: unknown, _unused: string, url: string) {
        expect(data).toEqual({ kept: true });
        host.replaced.push(url);
        host.location.href = new URL(url, host.location.href).href;
      },
    },
    storage:
      storage === 'none'
        ? undefined
        : {
            getItem: (key: string) => {
              if (storage === 'throws') throw new Error('storage is disabled');
              return items.get(key) ?? null;
            },
            setItem: (key: string, value: string) => {
              if (storage === 'throws') throw new Error('storage is disabled');
              items.set(key, value);
            },
          },
  } satisfies TokenHost & Record<string, unknown>;
  return host;
}

describe('adoptUrlToken', () => {
  it('moves ?token= from the address bar into storage, keeping the rest of the URL and the hash route', () => {
    const host = fakeHost(`http://127.0.0.1:4000/?lang=en&token=${TOKEN}#/turn?call=abc&block=def`);
    const token = adoptUrlToken(host);
    expect(host.replaced).toEqual(['/?lang=en#/turn?call=abc&block=def']);
    expect(host.location.href).not.toContain(TOKEN);
    expect(host.items.get(TOKEN_STORAGE_KEY)).toBe(TOKEN);
    expect(token()).toBe(TOKEN);
  });

  it('leaves a URL without a token alone and reads the token an earlier tab stored', () => {
    const host = fakeHost('http://127.0.0.1:4000/#/blocks?session=s');
    host.items.set(TOKEN_STORAGE_KEY, TOKEN);
    const token = adoptUrlToken(host);
    expect(host.replaced).toEqual([]);
    expect(token()).toBe(TOKEN);
  });

  it('reads storage on every call, so a newer token stored by another tab wins', () => {
    const host = fakeHost(`http://127.0.0.1:4000/?token=${TOKEN}`);
    const token = adoptUrlToken(host);
    host.items.set(TOKEN_STORAGE_KEY, 'the-restarted-servers-token-0123456789');
    expect(token()).toBe('the-restarted-servers-token-0123456789');
  });

  it('keeps the token in memory for this tab when storage throws or is missing', () => {
    for (const storage of ['throws', 'none'] as const) {
      const host = fakeHost(`http://127.0.0.1:4000/?token=${TOKEN}#/store`, storage);
      const token = adoptUrlToken(host);
      expect(host.replaced, storage).toEqual(['/#/store']);
      expect(token(), storage).toBe(TOKEN);
    }
  });

  it('has no token when neither the URL nor storage holds one', () => {
    expect(adoptUrlToken(fakeHost('http://127.0.0.1:4000/'))()).toBeNull();
  });
});

describe('httpClient', () => {
  function recordingFetch() {
    const requests: { url: string; init: RequestInit }[] = [];
    const fetchFn = (async (url: string, init: RequestInit) => {
      requests.push({ url, init });
      return new Response(JSON.stringify({ ok: true, value: { n: requests.length } }), {
        status: 200,
      });
    }) as unknown as typeof fetch;
    return { requests, fetchFn };
  }

  it('sends the current token in its header on every call, and no cookie', async () => {
    const { requests, fetchFn } = recordingFetch();
    let current = TOKEN;
    const call = httpClient(fetchFn, () => current);
    await call('store.info', {});
    current = 'a-second-token-0123456789';
    await call('sessions.list', {});
    expect(requests.map((r) => r.url)).toEqual(['/api/store.info', '/api/sessions.list']);
    expect(requests.map((r) => (r.init.headers as Record<string, string>)[TOKEN_HEADER])).toEqual([
      TOKEN,
      'a-second-token-0123456789',
    ]);
    for (const r of requests) expect(r.init.credentials).toBe('omit');
  });

  it('sends no token header without a token, and says how to authorise on 401', async () => {
    const requests: RequestInit[] = [];
    const fetchFn = (async (_url: string, init: RequestInit) => {
      requests.push(init);
      return new Response('{"ok":false}', { status: 401 });
    }) as unknown as typeof fetch;
    const result = await httpClient(fetchFn, () => null)('store.info', {});
    expect(Object.keys(requests[0]?.headers ?? {})).toEqual(['Content-Type']);
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    if (!result.ok) expect(result.error.message).toContain('?token=');
  });
});
