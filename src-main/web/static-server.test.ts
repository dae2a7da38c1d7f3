import { request, type IncomingHttpHeaders } from 'node:http';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir, type NetworkInterfaceInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WEB_TOKEN_HEADER } from '../api/contract';
import { CONTENT_SECURITY_POLICY } from '../csp';
import { contentTypeFor, startStaticServer, type StaticServer } from './static-server';

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

// node:http sends the path exactly as given (no URL normalisation), unlike fetch.
function rawRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolveResponse, rejectResponse) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolveResponse({ status: res.statusCode ?? 0, headers: res.headers, body }),
        );
      },
    );
    req.on('error', rejectResponse);
    req.end();
  });
}

const INDEX_HTML = '<!doctype html><title>index page</title>';
const SECRET = 'secret outside the root';

let base: string;
let root: string;
let server: StaticServer;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'llm386-static-'));
  root = join(base, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), INDEX_HTML);
  await writeFile(join(root, 'assets', 'app.js'), 'console.log(1);');
  await writeFile(join(root, 'assets', 'app.css'), 'body {}');
  await writeFile(join(base, 'secret.txt'), SECRET);
  await symlink(join(base, 'secret.txt'), join(root, 'assets', 'link-out.txt'));
  server = await startStaticServer({ root });
});

afterAll(async () => {
  await server.close();
  await rm(base, { recursive: true, force: true });
});

describe('startStaticServer', () => {
  it('listens on 127.0.0.1 only, with the token in the URL', async () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    const external = Object.values(networkInterfaces())
      .flat()
      .filter(
        (address): address is NetworkInterfaceInfo =>
          address !== undefined && !address.internal && address.family === 'IPv4',
      );
    // On a host with only `lo` the list above is empty: 127.0.0.2 is another loopback address
    // (Linux routes all of 127.0.0.0/8 to lo), which a server bound to 0.0.0.0 would also answer.
    const others = [
      ...external.map((a) => a.address),
      ...(process.platform === 'linux' ? ['127.0.0.2'] : []),
    ];
    expect(others.length, 'some address other than 127.0.0.1 to try').toBeGreaterThan(0);
    for (const address of others.map((a) => ({ address: a }))) {
      const refused = await new Promise<boolean>((resolveConnect) => {
        const socket = connect({ host: address.address, port: server.port });
        socket.once('connect', () => {
          socket.destroy();
          resolveConnect(false);
        });
        socket.once('error', () => resolveConnect(true));
      });
      expect(refused, `reachable on ${address.address}`).toBe(true);
    }
  });

  it('serves the page and its assets without a token: they hold no store data, so a deep link opens in a new tab', async () => {
    const page = await rawRequest(server.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toBe(INDEX_HTML);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect((await rawRequest(server.port, '/assets/app.js')).status).toBe(200);
  });

  it('answers 401 and no content to a wrong ?token=, so a bad link never replaces the stored token', async () => {
    const wrong = 'x'.repeat(server.token.length);
    for (const path of [`/?token=${wrong}`, '/?token=', '/assets/app.js?token=short']) {
      const response = await rawRequest(server.port, path);
      expect(response.status, path).toBe(401);
      expect(response.body, path).not.toContain('index page');
    }
  });

  it('serves index.html with the CSP when the printed URL is opened, and sets no cookie', async () => {
    const response = await rawRequest(server.port, `/?token=${server.token}`);
    expect(response.status).toBe(200);
    expect(response.body).toBe(INDEX_HTML);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('sends content types by extension', async () => {
    const script = await rawRequest(server.port, '/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const style = await rawRequest(server.port, '/assets/app.css');
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('lets the browser keep the hashed build assets, never the page or an error', async () => {
    expect(
      (await rawRequest(server.port, `/?token=${server.token}`)).headers['cache-control'],
    ).toBe('no-store');
    expect((await rawRequest(server.port, '/')).headers['cache-control']).toBe('no-store');
    expect((await rawRequest(server.port, '/assets/app.js')).headers['cache-control']).toBe(
      'private, max-age=31536000, immutable',
    );
    expect((await rawRequest(server.port, '/assets/missing.js')).headers['cache-control']).toBe(
      'no-store',
    );
    expect(
      (await rawRequest(server.port, '/assets/app.js?token=short')).headers['cache-control'],
    ).toBe('no-store');
  });

  it('refuses paths that leave the root, encoded or through a symlink', async () => {
    for (const path of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/link-out.txt',
    ]) {
      const response = await rawRequest(server.port, path);
      expect(response.body, path).not.toContain(SECRET);
      expect([403, 404], path).toContain(response.status);
    }
  });

  it('answers 404 to a missing file and 405 to a POST', async () => {
    expect((await rawRequest(server.port, '/nope.js')).status).toBe(404);
    expect((await rawRequest(server.port, '/', { method: 'POST' })).status).toBe(405);
  });

  it('refuses a request whose Host is not the loopback address (DNS rebinding)', async () => {
    for (const path of [`/?token=${server.token}`, '/']) {
      const response = await rawRequest(server.port, path, {
        headers: { host: `evil.example:${server.port}` },
      });
      expect(response.status, path).toBe(421);
      expect(response.body, path).not.toContain('index page');
    }
  });
});

describe('startStaticServer options', () => {
  const started: StaticServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });

  it('makes a different random token for each server', async () => {
    const a = await startStaticServer({ root });
    const b = await startStaticServer({ root });
    started.push(a, b);
    expect(a.token).not.toBe(b.token);
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('uses a given token', async () => {
    const s = await startStaticServer({ root, token: 'a-fixed-token-for-tests' });
    started.push(s);
    expect(s.url).toContain('?token=a-fixed-token-for-tests');
    expect((await rawRequest(s.port, '/?token=a-fixed-token-for-tests')).status).toBe(200);
  });

  it('rejects a token that is too short to guess safely', async () => {
    await expect(startStaticServer({ root, token: 'short' })).rejects.toThrow(
      /16 to 256 characters/,
    );
  });

  it('rejects a root that does not exist, saying how to build it', async () => {
    await expect(startStaticServer({ root: join(base, 'missing') })).rejects.toThrow(
      /electron-vite build/,
    );
  });
});

describe('contentTypeFor', () => {
  it('falls back to application/octet-stream for unknown extensions', () => {
    expect(contentTypeFor('a.unknown')).toBe('application/octet-stream');
    expect(contentTypeFor('A.HTML')).toBe('text/html; charset=utf-8');
  });
});

describe('startStaticServer with an api', () => {
  const calls: [string, unknown][] = [];
  let apiServer: StaticServer;
  let auth: Record<string, string>;

  // With the token header unless `headers` replaces it (`{ [WEB_TOKEN_HEADER]: undefined }` drops it).
  function post(
    path: string,
    body: string,
    headers: Record<string, string | undefined> = {},
  ): Promise<RawResponse> {
    const sent = Object.fromEntries(
      Object.entries({ 'content-type': 'application/json', ...auth, ...headers }).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    );
    return new Promise((resolveResponse, rejectResponse) => {
      const req = request(
        { host: '127.0.0.1', port: apiServer.port, path, method: 'POST', headers: sent },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () =>
            resolveResponse({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
          );
        },
      );
      req.on('error', rejectResponse);
      req.end(body);
    });
  }

  beforeAll(async () => {
    apiServer = await startStaticServer({
      root,
      api: async (method, input) => {
        calls.push([method, input]);
        if (method === 'store.info') return { ok: true, value: { echo: input } };
        return { ok: false, error: { code: 'unknown-method', message: 'unknown' } };
      },
    });
    auth = { [WEB_TOKEN_HEADER]: apiServer.token };
  });

  afterAll(async () => {
    await apiServer.close();
  });

  afterEach(() => {
    calls.length = 0;
  });

  it('answers POST /api/<method> with the JSON result of the api', async () => {
    const response = await post('/api/store.info', '{"a":1}');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(JSON.parse(response.body)).toEqual({ ok: true, value: { echo: { a: 1 } } });
    expect(calls).toEqual([['store.info', { a: 1 }]]);
  });

  it('answers 401 and never calls the api without the token header, or with a wrong one', async () => {
    const none = await post('/api/store.info', '{}', { [WEB_TOKEN_HEADER]: undefined });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(
      (
        await post('/api/store.info', '{}', {
          [WEB_TOKEN_HEADER]: 'x'.repeat(apiServer.token.length),
        })
      ).status,
    ).toBe(401);
    expect(
      (await post('/api/store.info', '{}', { [WEB_TOKEN_HEADER]: apiServer.token.slice(1) }))
        .status,
    ).toBe(401);
    expect(calls).toEqual([]);
  });

  it('no longer lets the token in a cookie or in the query authorise an api call', async () => {
    // A 127.0.0.1 cookie reaches every local port, so another local server could replay it.
    expect(
      (
        await post('/api/store.info', '{}', {
          [WEB_TOKEN_HEADER]: undefined,
          cookie: `llm386_token=${apiServer.token}`,
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await post(`/api/store.info?token=${apiServer.token}`, '{}', {
          [WEB_TOKEN_HEADER]: undefined,
        })
      ).status,
    ).toBe(401);
    expect(calls).toEqual([]);
  });

  it('never sends a Set-Cookie header, on the page, an asset, an api answer or a refusal', async () => {
    const responses = [
      await rawRequest(apiServer.port, `/?token=${apiServer.token}`),
      await rawRequest(apiServer.port, '/'),
      await rawRequest(apiServer.port, '/assets/app.js'),
      await rawRequest(apiServer.port, '/?token=wrong-token-of-some-length'),
      await post('/api/store.info', '{}'),
      await post(`/api/store.info?token=${apiServer.token}`, '{}', {
        [WEB_TOKEN_HEADER]: undefined,
      }),
      await post('/api/store.delete', '{}'),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 401, 200, 401, 404]);
    for (const response of responses) expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('answers 404 to an unknown method and 405 to a GET', async () => {
    expect((await post('/api/store.delete', '{}')).status).toBe(404);
    const get = await rawRequest(apiServer.port, '/api/store.info', { headers: auth });
    expect(get.status).toBe(405);
    expect(get.headers['allow']).toBe('POST');
  });

  it('refuses a body that is not JSON, too large, of another content type or from another origin', async () => {
    expect((await post('/api/store.info', '{not json')).status).toBe(400);
    expect(
      (await post('/api/store.info', JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }))).status,
    ).toBe(413);
    expect((await post('/api/store.info', '{}', { 'content-type': 'text/plain' })).status).toBe(
      415,
    );
    expect((await post('/api/store.info', '{}', { origin: 'https://evil.example' })).status).toBe(
      403,
    );
    expect(calls).toEqual([]);
  });

  it('treats an empty body as an empty input object', async () => {
    const response = await post('/api/store.info', '');
    expect(JSON.parse(response.body)).toEqual({ ok: true, value: { echo: {} } });
  });

  it('has no /api/ on a server without an api', async () => {
    const response = await rawRequest(server.port, '/api/store.info', {
      method: 'POST',
      headers: { [WEB_TOKEN_HEADER]: server.token },
    });
    expect(response.status).toBe(404);
  });
});

describe('the bundle size limit', () => {
  it('is one limit: every bundle text the contract accepts fits the HTTP body limit, JSON-escaped', async () => {
    const { MAX_BUNDLE_BODY_BYTES } = await import('./static-server');
    const { BUNDLE_TEXT_LIMIT } = await import('../api/contract/contract-graph');
    // The worst case: every character escaped as \u00XX inside {"text":"..."}.
    expect(MAX_BUNDLE_BODY_BYTES).toBeGreaterThanOrEqual(
      6 * BUNDLE_TEXT_LIMIT + '{"text":""}'.length,
    );
    expect(JSON.stringify({ text: '\u0001'.repeat(1000) }).length).toBeLessThanOrEqual(
      6 * 1000 + 11,
    );
  });
});
