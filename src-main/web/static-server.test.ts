import { request, type IncomingHttpHeaders } from 'node:http';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir, type NetworkInterfaceInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolveResponse({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', rejectResponse);
    req.end();
  });
}

function cookieOf(response: RawResponse): string {
  const [setCookie] = response.headers['set-cookie'] ?? [];
  if (setCookie === undefined) throw new Error('no Set-Cookie header');
  const [pair] = setCookie.split(';');
  return pair ?? '';
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
      .filter((address): address is NetworkInterfaceInfo => address !== undefined && !address.internal && address.family === 'IPv4');
    for (const address of external) {
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

  it('answers 401 and no content to a request without a token', async () => {
    const response = await rawRequest(server.port, '/');
    expect(response.status).toBe(401);
    expect(response.body).not.toContain('index page');
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('answers 401 to a wrong token, in the query or in the cookie', async () => {
    const wrong = 'x'.repeat(server.token.length);
    expect((await rawRequest(server.port, `/?token=${wrong}`)).status).toBe(401);
    expect((await rawRequest(server.port, '/', { headers: { cookie: `llm386_token=${wrong}` } })).status).toBe(401);
    expect((await rawRequest(server.port, '/assets/app.js?token=short')).status).toBe(401);
  });

  it('serves index.html with the CSP and sets an HttpOnly SameSite=Strict cookie when the token is given', async () => {
    const response = await rawRequest(server.port, `/?token=${server.token}`);
    expect(response.status).toBe(200);
    expect(response.body).toBe(INDEX_HTML);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const [setCookie] = response.headers['set-cookie'] ?? [];
    expect(setCookie).toContain(`llm386_token=${server.token}`);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
  });

  it('authorises later requests by the cookie and sends content types by extension', async () => {
    const cookie = cookieOf(await rawRequest(server.port, `/?token=${server.token}`));
    const script = await rawRequest(server.port, '/assets/app.js', { headers: { cookie } });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const style = await rawRequest(server.port, '/assets/app.css', { headers: { cookie } });
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('lets the browser keep the hashed build assets, never the page or an error', async () => {
    const page = await rawRequest(server.port, `/?token=${server.token}`);
    expect(page.headers['cache-control']).toBe('no-store');
    const cookie = cookieOf(page);
    expect((await rawRequest(server.port, '/assets/app.js', { headers: { cookie } })).headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect((await rawRequest(server.port, '/assets/missing.js', { headers: { cookie } })).headers['cache-control']).toBe('no-store');
    expect((await rawRequest(server.port, '/assets/app.js')).headers['cache-control']).toBe('no-store');
  });

  it('refuses paths that leave the root, encoded or through a symlink', async () => {
    const cookie = cookieOf(await rawRequest(server.port, `/?token=${server.token}`));
    for (const path of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/link-out.txt',
    ]) {
      const response = await rawRequest(server.port, path, { headers: { cookie } });
      expect(response.body, path).not.toContain(SECRET);
      expect([403, 404], path).toContain(response.status);
    }
  });

  it('answers 404 to a missing file and 405 to a POST', async () => {
    const cookie = cookieOf(await rawRequest(server.port, `/?token=${server.token}`));
    expect((await rawRequest(server.port, '/nope.js', { headers: { cookie } })).status).toBe(404);
    expect((await rawRequest(server.port, '/', { method: 'POST', headers: { cookie } })).status).toBe(405);
  });

  it('refuses a request whose Host is not the loopback address (DNS rebinding)', async () => {
    const response = await rawRequest(server.port, `/?token=${server.token}`, { headers: { host: `evil.example:${server.port}` } });
    expect(response.status).toBe(421);
    expect(response.body).not.toContain('index page');
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
    await expect(startStaticServer({ root, token: 'short' })).rejects.toThrow(/16 to 256 characters/);
  });

  it('rejects a root that does not exist, saying how to build it', async () => {
    await expect(startStaticServer({ root: join(base, 'missing') })).rejects.toThrow(/electron-vite build/);
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
  let cookie: string;

  function post(path: string, body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
    return new Promise((resolveResponse, rejectResponse) => {
      const req = request(
        { host: '127.0.0.1', port: apiServer.port, path, method: 'POST', headers: { 'content-type': 'application/json', cookie, ...headers } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolveResponse({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
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
    cookie = cookieOf(await rawRequest(apiServer.port, `/?token=${apiServer.token}`));
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

  it('answers 401 and never calls the api without the token, or with a wrong one', async () => {
    expect((await post('/api/store.info', '{}', { cookie: '' })).status).toBe(401);
    expect((await post('/api/store.info', '{}', { cookie: `llm386_token=${'x'.repeat(43)}` })).status).toBe(401);
    expect(calls).toEqual([]);
  });

  it('answers 404 to an unknown method and 405 to a GET', async () => {
    expect((await post('/api/store.delete', '{}')).status).toBe(404);
    const get = await rawRequest(apiServer.port, '/api/store.info', { headers: { cookie } });
    expect(get.status).toBe(405);
    expect(get.headers['allow']).toBe('POST');
  });

  it('refuses a body that is not JSON, too large, of another content type or from another origin', async () => {
    expect((await post('/api/store.info', '{not json')).status).toBe(400);
    expect((await post('/api/store.info', JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }))).status).toBe(413);
    expect((await post('/api/store.info', '{}', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post('/api/store.info', '{}', { origin: 'https://evil.example' })).status).toBe(403);
    expect(calls).toEqual([]);
  });

  it('treats an empty body as an empty input object', async () => {
    const response = await post('/api/store.info', '');
    expect(JSON.parse(response.body)).toEqual({ ok: true, value: { echo: {} } });
  });

  it('has no /api/ on a server without an api', async () => {
    const response = await rawRequest(server.port, '/api/store.info', { method: 'POST', headers: { cookie: cookieOf(await rawRequest(server.port, `/?token=${server.token}`)) } });
    expect(response.status).toBe(404);
  });
});

describe('the bundle size limit', () => {
  it('is one limit: every bundle text the contract accepts fits the HTTP body limit, JSON-escaped', async () => {
    const { MAX_BUNDLE_BODY_BYTES } = await import('./static-server');
    const { BUNDLE_TEXT_LIMIT } = await import('../api/contract-graph');
    // The worst case: every character escaped as \u00XX inside {"text":"..."}.
    expect(MAX_BUNDLE_BODY_BYTES).toBeGreaterThanOrEqual(6 * BUNDLE_TEXT_LIMIT + '{"text":""}'.length);
    expect(JSON.stringify({ text: '\u0001'.repeat(1000) }).length).toBeLessThanOrEqual(6 * 1000 + 11);
  });
});
