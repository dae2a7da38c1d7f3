// Serves the built renderer over HTTP on loopback: the web mode of `llm386 inspect --web`. With an
// `api`, it also answers `POST /api/<method>` with the contract's JSON results, guarded by a random
// token in a request header: the same renderer and handlers, over HTTP instead of IPC.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../csp';
import { WEB_TOKEN_HEADER } from '../api/contract';
import { BUNDLE_TEXT_LIMIT } from '../api/contract/contract-graph';

/** Where and how to serve. */
export interface StaticServerOptions {
  /** Directory to serve, normally the built renderer (`out/renderer`). */
  readonly root: string;
  /** TCP port on 127.0.0.1. Default 0: a free port chosen by the system. */
  readonly port?: number;
  /** Access token. Default: 32 random bytes, base64url. At least 16 URL-safe characters. */
  readonly token?: string;
  /**
   * Answers `POST /api/<method>` (JSON body: the method's one input object) when the request
   * carries the token in the `X-LLM386-Token` header. Resolves to the method's result, `{ ok, value | error }`; never rejects for an
   * expected failure. Without it, /api/ paths are 404.
   */
  readonly api?: ApiTransportHandler;
}

/** What the web transport calls for `POST /api/<method>`. */
export type ApiTransportHandler = (method: string, input: unknown) => Promise<ApiTransportResult>;

/**
 * A method's result: the object, or its UTF-8 JSON made where the result was (the API worker
 * threads), sent as it is so this thread never serialises or encodes a big answer.
 */
export type ApiTransportResult =
  | { readonly ok: boolean; readonly error?: { readonly code: string } }
  | { readonly bytes: Uint8Array; readonly ok: boolean; readonly code?: string | undefined };

/** Largest accepted API request body. */
export const MAX_API_BODY_BYTES = 1024 * 1024;
/**
 * Largest body of `bundle.import`: the one bundle limit is the contract's BUNDLE_TEXT_LIMIT
 * characters; JSON-escaped, a character takes at most 6 bytes (`\u001f`), so any text within the
 * limit fits and a body over this holds a text over it.
 */
export const MAX_BUNDLE_BODY_BYTES = 6 * BUNDLE_TEXT_LIMIT + 1024;
const API_PREFIX = '/api/';

/** A running server. */
export interface StaticServer {
  /** The page to open, token included: `http://127.0.0.1:PORT/?token=...`. */
  readonly url: string;
  /** Always `127.0.0.1`: the server never listens beyond loopback. */
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const TOKEN_PARAM = 'token';
// Node lower-cases incoming header names.
const TOKEN_HEADER = WEB_TOKEN_HEADER.toLowerCase();
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,256}$/;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

// Sent with every response, including errors.
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/**
 * How long the browser may keep a served file. The build's `assets/` files carry a hash of their
 * content in their names, hold no store data, and never change under a name: kept for a year, so
 * a reload or another tab does not fetch them again. The favicon: a day (the browser asks for it
 * again on navigations otherwise). Everything else, index.html and every API answer included, is
 * never stored (`SECURITY_HEADERS`).
 */
function cacheControlFor(pathname: string): string {
  if (pathname.startsWith('/assets/')) return 'private, max-age=31536000, immutable';
  if (pathname === '/favicon.svg') return 'private, max-age=86400';
  return 'no-store';
}

/** The content type for a file name, by extension; `application/octet-stream` when unknown. */
export function contentTypeFor(fileName: string): string {
  return CONTENT_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Starts serving `root` on 127.0.0.1. API calls must carry the token in the `X-LLM386-Token`
 * header (401 and no content otherwise). The page and its assets hold no store data and are
 * served without it, so a deep link without `?token=` opens in another tab (whose API calls send
 * the token the page kept in localStorage); a `?token=` that is present must be the right one.
 * No cookie is ever set: browsers send a 127.0.0.1 cookie to every local port.
 */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  if (!TOKEN_PATTERN.test(token)) {
    throw new Error(
      'The web-mode token must be 16 to 256 characters from A-Z, a-z, 0-9, "-" and "_".',
    );
  }
  const root = await realpath(resolve(options.root)).catch((error: unknown) => {
    throw new Error(
      `Cannot serve ${options.root}: the directory does not exist. Build the renderer first (npx electron-vite build).`,
      {
        cause: error,
      },
    );
  });
  const rootStat = await stat(root);
  if (!rootStat.isDirectory())
    throw new Error(`Cannot serve ${options.root}: it is not a directory.`);

  let port = options.port ?? 0;
  const server = createServer((request, response) => {
    handle(request, response, { root, token, port, api: options.api }).catch(() => {
      if (!response.headersSent) send(response, 500, 'Internal error while serving the file.');
      else response.destroy();
    });
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen({ host: HOST, port }, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${HOST}:${port}/?${TOKEN_PARAM}=${token}`,
    host: HOST,
    port,
    token,
    close: () =>
      new Promise<void>((resolveClose, rejectClose) => {
        server.close((error) => (error ? rejectClose(error) : resolveClose()));
        server.closeAllConnections();
      }),
  };
}

interface HandlerContext {
  readonly root: string;
  readonly token: string;
  readonly port: number;
  readonly api: ApiTransportHandler | undefined;
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  context: HandlerContext,
): Promise<void> {
  // A page on another site that rebinds its DNS name to 127.0.0.1 would send its own Host.
  if (!isLoopbackHost(request.headers.host, context.port)) {
    send(response, 421, 'Misdirected request: use the 127.0.0.1 URL printed at start-up.');
    return;
  }

  let url: URL;
  try {
    url = new URL(request.url ?? '/', `http://${HOST}:${context.port}`);
  } catch {
    send(response, 400, 'Bad request.');
    return;
  }

  if (url.pathname.startsWith(API_PREFIX)) {
    const headerToken = request.headers[TOKEN_HEADER];
    if (typeof headerToken !== 'string' || !tokensEqual(headerToken, context.token)) {
      sendJson(
        response,
        401,
        apiFailure(
          'unauthorized',
          `Unauthorized: send the token of the URL printed at start-up in the ${WEB_TOKEN_HEADER} header.`,
        ),
      );
      return;
    }
    await handleApi(request, response, url.pathname.slice(API_PREFIX.length), context);
    return;
  }

  // A wrong token never reaches the page, so it cannot replace the right one the page stored.
  const queryToken = url.searchParams.get(TOKEN_PARAM);
  if (queryToken !== null && !tokensEqual(queryToken, context.token)) {
    send(
      response,
      401,
      'Unauthorized: open the full URL printed at start-up, including its ?token= part.',
    );
    return;
  }

  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    send(response, 405, 'Method not allowed.');
    return;
  }

  const file = await resolveFile(context.root, url.pathname);
  if (file.kind === 'forbidden') {
    send(response, 403, 'Forbidden.');
    return;
  }
  if (file.kind === 'missing') {
    send(response, 404, 'Not found.');
    return;
  }

  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Cache-Control': cacheControlFor(url.pathname),
    'Content-Type': contentTypeFor(file.path),
    'Content-Length': String(file.size),
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = createReadStream(file.path);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}

async function handleApi(
  request: IncomingMessage,
  response: ServerResponse,
  rawMethod: string,
  context: HandlerContext,
): Promise<void> {
  if (context.api === undefined) {
    send(response, 404, 'Not found: this server has no API.');
    return;
  }
  if (request.method !== 'POST') {
    response.setHeader('Allow', 'POST');
    sendJson(
      response,
      405,
      apiFailure('method-not-allowed', 'API methods are called with POST and a JSON body.'),
    );
    return;
  }
  // A cross-site form or fetch cannot send this content type without a preflight, which fails.
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') {
    sendJson(
      response,
      415,
      apiFailure('unsupported-media-type', 'Send the input as Content-Type: application/json.'),
    );
    return;
  }
  const origin = request.headers.origin;
  if (
    origin !== undefined &&
    origin !== `http://${HOST}:${context.port}` &&
    origin !== `http://localhost:${context.port}`
  ) {
    sendJson(
      response,
      403,
      apiFailure('forbidden-origin', 'API calls are accepted only from the inspector page.'),
    );
    return;
  }
  let method: string;
  try {
    method = decodeURIComponent(rawMethod);
  } catch {
    sendJson(response, 404, apiFailure('unknown-method', 'Unknown API method.'));
    return;
  }
  const limit = method === 'bundle.import' ? MAX_BUNDLE_BODY_BYTES : MAX_API_BODY_BYTES;
  const body = await readBody(request, limit);
  if (body === undefined) {
    const what =
      method === 'bundle.import'
        ? `A bundle is at most ${BUNDLE_TEXT_LIMIT} characters.`
        : `The request body is over ${limit} bytes.`;
    sendJson(response, 413, apiFailure('too-large', what));
    return;
  }
  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    sendJson(response, 400, apiFailure('invalid-input', 'The request body is not valid JSON.'));
    return;
  }
  const result = await context.api(method, input);
  const code = 'bytes' in result ? result.code : result.error?.code;
  const status = !result.ok && code === 'unknown-method' ? 404 : 200;
  if ('bytes' in result) sendJsonBytes(response, status, result.bytes);
  else sendJson(response, status, result);
}

function apiFailure(code: string, message: string) {
  return { ok: false, error: { code, message } };
}

/** The request body, or undefined when it is over `limit` bytes (the rest is not read). */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolveBody, rejectBody) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    request.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        resolveBody(undefined);
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!over) resolveBody(Buffer.concat(chunks));
    });
    request.on('error', rejectBody);
  });
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  sendJsonBytes(response, status, Buffer.from(JSON.stringify(value)));
}

function sendJsonBytes(response: ServerResponse, status: number, body: Uint8Array): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(body.byteLength),
  });
  response.end(body);
}

type ResolvedFile =
  | { readonly kind: 'file'; readonly path: string; readonly size: number }
  | { readonly kind: 'missing' }
  | { readonly kind: 'forbidden' };

/** Maps a URL path to a file inside `root` (a real path); never outside it, symlinks included. */
async function resolveFile(root: string, pathname: string): Promise<ResolvedFile> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'forbidden' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'forbidden' };
  const requested = resolve(root, `.${decoded}`);
  if (!isInside(root, requested)) return { kind: 'forbidden' };

  let real: string;
  try {
    real = await realpath(requested);
  } catch {
    return { kind: 'missing' };
  }
  if (!isInside(root, real)) return { kind: 'forbidden' };

  let info = await stat(real);
  if (info.isDirectory()) {
    real = resolve(real, 'index.html');
    try {
      info = await stat(real);
    } catch {
      return { kind: 'missing' };
    }
  }
  if (!info.isFile()) return { kind: 'missing' };
  return { kind: 'file', path: real, size: info.size };
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(sep) ? root : root + sep);
}

function isLoopbackHost(hostHeader: string | undefined, port: number): boolean {
  return hostHeader === `${HOST}:${port}` || hostHeader === `localhost:${port}`;
}

function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(response: ServerResponse, status: number, message: string): void {
  const body = `${message}\n`;
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
  });
  response.end(body);
}
