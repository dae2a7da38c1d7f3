import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracedCall } from '../../src-core/index';
import { WEB_TOKEN_HEADER } from '../api/contract';
import { DEFAULT_CONFIG, findProfile, recordedPolicy, Store } from '../runtime';
import { startInspectServer, type InspectServer } from './inspect-server';

let dir: string;
let server: InspectServer;
let callId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-inspect-server-'));
  const storeDir = join(dir, 'store');
  const store = Store.init(storeDir);
  const t0 = Date.UTC(2026, 0, 1);
  store.put({
    session: 'alpha',
    kind: 'system',
    body: 'You are a careful travel agent.',
    createdAt: t0,
  });
  store.putMany(
    Array.from({ length: 3000 }, (_, i) => ({
      session: 'alpha',
      kind: 'fact' as const,
      body: `Fact ${i}: museum ${i % 17} opens at ${i % 12}. ${'Some more detail on the visit. '.repeat(8)}`,
      createdAt: t0 + 1000 + i,
    })),
  );
  const model = findProfile('gpt-4o', DEFAULT_CONFIG.profiles);
  const call = await tracedCall(
    store,
    {
      session: 'alpha',
      task: 'Which museums open early?',
      model,
      budget: 4000,
      now: t0 + 90_000,
      mode: 'chat',
    },
    recordedPolicy(DEFAULT_CONFIG),
  );
  await call.recorded;
  callId = call.record.callId;
  store.close();
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>inspector</title>');
  server = await startInspectServer({ storeDir, rendererDir, bundlesDir: join(dir, 'bundles') });
  // Building the store and starting the threads takes seconds on a busy machine.
}, 60_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One API call over HTTP; resolves to the parsed result and when it arrived. */
function post(
  method: string,
  input: unknown,
): Promise<{
  result: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
  at: number;
}> {
  const body = JSON.stringify(input);
  return new Promise((resolvePost, rejectPost) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: `/api/${method}`,
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          [WEB_TOKEN_HEADER]: server.token,
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolvePost({
            result: JSON.parse(Buffer.concat(chunks).toString('utf8')) as never,
            at: performance.now(),
          }),
        );
      },
    );
    req.on('error', rejectPost);
    req.end(body);
  });
}

describe('web mode, with the runtime beside the request loop', () => {
  it('answers store.info while a slow what-if runs', async () => {
    // Another model's tokenizer (cl100k) is loaded and every candidate counted again: a what-if of
    // about a second, during which the page keeps polling store.info / store.changes.
    const started = performance.now();
    const whatIf = post('whatif.run', { callId, overrides: { model: 'gpt-4-turbo' } });
    let done: number | undefined;
    void whatIf.then(({ at }) => (done = at));
    const answered: number[] = [];
    while (done === undefined) {
      const { result, at } = await post('store.info', {});
      expect(result.ok).toBe(true);
      if (done === undefined) answered.push(at);
    }
    const { result } = await whatIf;
    expect(result.ok, JSON.stringify(result.error)).toBe(true);
    const whatIfMs = done - started;
    // The longest wait for an answer while the what-if ran: polls, not the what-if's length.
    const gaps = [...answered, done].map(
      (at, i, all) => at - (i === 0 ? started : (all[i - 1] ?? started)),
    );
    const longest = Math.max(...gaps);
    expect(whatIfMs, 'the what-if was too quick to show anything').toBeGreaterThan(200);
    expect(
      longest,
      `longest gap between store.info answers ${Math.round(longest)} ms during a ${Math.round(whatIfMs)} ms what-if`,
    ).toBeLessThan(whatIfMs / 3);
  });

  it('validates input before it reaches the runtime', async () => {
    const { result } = await post('whatif.run', { callId: 'not an id', extra: 1 });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const unknown = await post('no.such', {});
    expect(unknown.result).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  });
});
