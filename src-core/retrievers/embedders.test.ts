import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isLlm386Error } from '../base/index';
import { embedderFromSpec, featureHashingEmbedder, hashVector, httpEmbedder } from './embedders';

function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

function dot(a: Float32Array, b: Float32Array): number {
  return a.reduce((s, x, i) => s + x * (b[i] as number), 0);
}

describe('featureHashingEmbedder', () => {
  it('gives the same unit-length vector for the same text, every time', async () => {
    const e = featureHashingEmbedder();
    expect(e.id).toBe('hash-256');
    expect(e.dimensions).toBe(256);
    const [a, b] = await e.embed([
      'Deploy the service with docker',
      'Deploy the service with docker',
    ]);
    expect(a).toEqual(b);
    expect(norm(a as Float32Array)).toBeCloseTo(1, 5);
    // A fixed fingerprint: changing the hashing silently would change every stored vector.
    expect(Array.from(hashVector('hello world', 16), (x) => Math.round(x * 1000))).toEqual([
      0, 667, 0, 0, 0, 0, 0, 667, 0, 0, -333, 0, 0, 0, 0, 0,
    ]);
  });

  it('puts texts that share words closer than unrelated ones', async () => {
    const [q, near, far] = await featureHashingEmbedder({ dimensions: 512 }).embed([
      'docker daemon failed to start',
      'the docker daemon failed again after the upgrade',
      'lemon cake with sugar and butter',
    ]);
    expect(dot(q as Float32Array, near as Float32Array)).toBeGreaterThan(
      dot(q as Float32Array, far as Float32Array) + 0.3,
    );
  });

  it('returns a zero vector for text without terms', async () => {
    const [v] = await featureHashingEmbedder({ dimensions: 8 }).embed(['the of and']);
    expect(norm(v as Float32Array)).toBe(0);
  });

  it('rejects silly dimensions', () => {
    expect(() => featureHashingEmbedder({ dimensions: 3 })).toThrow(/dimensions/);
  });
});

interface Fake {
  readonly baseUrl: string;
  readonly requests: {
    url: string;
    auth: string | undefined;
    body: { model: string; input: string[]; dimensions?: number };
  }[];
}

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
});

async function fakeServer(
  handler: (
    body: { model: string; input: string[] },
    req: IncomingMessage,
    res: ServerResponse,
  ) => void,
): Promise<Fake> {
  const requests: Fake['requests'] = [];
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(data) as { model: string; input: string[] };
      requests.push({ url: req.url ?? '', auth: req.headers.authorization, body });
      handler(body, req, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, requests };
}

/** An OpenAI-shaped reply: each input's vector is [length, 1, index-in-batch], items in reverse order. */
function openAiReply(body: { input: string[] }, res: ServerResponse): void {
  const data = body.input
    .map((text, index) => ({ object: 'embedding', index, embedding: [text.length, 1, index] }))
    .reverse();
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ object: 'list', data, model: 'm' }));
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isLlm386Error(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('httpEmbedder', () => {
  it('posts {model, input} to {baseUrl}/embeddings in batches, in order, with the key from the env', async () => {
    const fake = await fakeServer((body, _req, res) => openAiReply(body, res));
    const e = httpEmbedder({
      baseUrl: `${fake.baseUrl}/`,
      model: 'nomic-embed-text',
      batchSize: 2,
      env: { MY_KEY: 'sk-test' },
      apiKeyEnv: 'MY_KEY',
    });
    expect(e.id).toBe('http:nomic-embed-text');
    const vectors = await e.embed(['a', 'bb', 'ccc']);
    expect(vectors.map((v) => Array.from(v))).toEqual([
      [1, 1, 0],
      [2, 1, 1],
      [3, 1, 0],
    ]);
    expect(e.dimensions).toBe(3);
    expect(fake.requests.map((r) => [r.url, r.auth, r.body.model, r.body.input])).toEqual([
      ['/v1/embeddings', 'Bearer sk-test', 'nomic-embed-text', ['a', 'bb']],
      ['/v1/embeddings', 'Bearer sk-test', 'nomic-embed-text', ['ccc']],
    ]);
  });

  it('sends no Authorization header without a key (Ollama, LM Studio) and passes requested dimensions', async () => {
    const fake = await fakeServer((body, _req, res) => openAiReply(body, res));
    const e = httpEmbedder({ baseUrl: fake.baseUrl, model: 'm', env: {}, dimensions: 3 });
    expect(e.id).toBe('http:m-3');
    await e.embed(['x']);
    expect(fake.requests[0]?.auth).toBeUndefined();
    expect(fake.requests[0]?.body.dimensions).toBe(3);
  });

  it('turns HTTP errors into io-errors that name the status and what to check', async () => {
    const fake = await fakeServer((_body, _req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"invalid api key"}}');
    });
    const e = httpEmbedder({ baseUrl: fake.baseUrl, model: 'm', env: { OPENAI_API_KEY: 'bad' } });
    const err = await failure(e.embed(['x']));
    expect(err.code).toBe('io-error');
    expect(err.message).toContain('HTTP 401');
    expect(err.message).toContain('invalid api key');
    expect(err.message).toContain('OPENAI_API_KEY');
  });

  it('rejects a reply that is not an embeddings response', async () => {
    const fake = await fakeServer((_body, _req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data": [{"embedding": "nope"}]}');
    });
    const err = await failure(
      httpEmbedder({ baseUrl: fake.baseUrl, model: 'm', env: {} }).embed(['x']),
    );
    expect(err.code).toBe('io-error');
    expect(err.message).toMatch(/not an OpenAI embeddings response/);
  });

  it('rejects vectors whose length changes between calls', async () => {
    let n = 2;
    const fake = await fakeServer((body, _req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          data: body.input.map((_, index) => ({ index, embedding: new Array(n++).fill(0.5) })),
        }),
      );
    });
    const e = httpEmbedder({ baseUrl: fake.baseUrl, model: 'm', env: {} });
    await e.embed(['x']);
    expect((await failure(e.embed(['y']))).message).toMatch(/3 dimensions, expected 2/);
  });

  it('reports an unreachable server as an io-error', async () => {
    const fake = await fakeServer(() => undefined);
    await new Promise((resolve) => (servers.pop() as Server).close(resolve));
    const err = await failure(
      httpEmbedder({ baseUrl: fake.baseUrl, model: 'm', env: {}, timeoutMs: 2000 }).embed(['x']),
    );
    expect(err.code).toBe('io-error');
    expect(err.message).toMatch(/server is running/);
  });
});

describe('embedderFromSpec', () => {
  it('builds the hashing embedder by default and from hash-<n>', () => {
    expect(embedderFromSpec(undefined).id).toBe('hash-256');
    expect(embedderFromSpec('hash-64').dimensions).toBe(64);
  });

  it('builds HTTP embedders for openai:, ollama: and http: specs', () => {
    expect(embedderFromSpec('openai:text-embedding-3-small').id).toBe(
      'http:text-embedding-3-small',
    );
    expect(embedderFromSpec('ollama:nomic-embed-text', { dimensions: 768 }).id).toBe(
      'http:nomic-embed-text-768',
    );
    expect(embedderFromSpec('http:bge', { base_url: 'http://127.0.0.1:8000/v1' }).id).toBe(
      'http:bge',
    );
  });

  it('fails with config-invalid on an unknown spec or a missing base URL', () => {
    for (const [spec, options] of [
      ['word2vec', {}],
      ['http:bge', {}],
      ['openai:x', { dimensions: -1 }],
    ] as const) {
      try {
        embedderFromSpec(spec, options);
        expect.unreachable();
      } catch (error) {
        expect(isLlm386Error(error, 'config-invalid')).toBe(true);
      }
    }
  });
});
