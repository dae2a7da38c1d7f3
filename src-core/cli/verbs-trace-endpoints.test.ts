// A recording never decides where data is sent: bundles naming an endpoint, key variable or module
// are refused at import, and replay / what-if take them from the current config only.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cli,
  cliJson,
  cliOk,
  ensureCliBuilt,
  expectFailure,
  initStore,
  tempDirs,
  writeFile,
  writeTranscript,
  type ChatMessage,
} from './cli-test-helpers';

interface Fake {
  readonly url: string;
  readonly requests: { auth: string | undefined; inputs: number }[];
}

const servers: Server[] = [];

/** An OpenAI-compatible embeddings server answering a 4-dimension vector per input. */
async function fakeEmbedder(): Promise<Fake> {
  const requests: Fake['requests'] = [];
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(data) as { input: string[] };
      requests.push({ auth: req.headers.authorization, inputs: body.input.length });
      const vectors = body.input.map((text, index) => ({
        index,
        embedding: [text.length % 7, (text.charCodeAt(0) || 1) % 5, 1, index % 3],
      }));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: vectors }));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, requests };
}

const TRANSCRIPT: ChatMessage[] = Array.from({ length: 30 }, (_, i): ChatMessage => ({
  role: i % 2 === 0 ? 'user' : 'assistant',
  content: `turn ${i}: about ${['invoices', 'lisbon', 'trains'][i % 3]} and ${i * 3}`,
}));

const configText = (url: string) =>
  `[[retriever]]\nkind = "bm25"\nname = "bm25"\nweight = 1\n\n[[retriever]]\nkind = "ann"\nname = "remote"\nweight = 1\nembedder = "http:m"\noptions = { base_url = "${url}", api_key_env = "MY_CLOUD_SECRET" }\n`;

const dirs = tempDirs();
let dir = '';
let store = '';
let callId = '';
let recorded: Fake;
let current: Fake;
const env = { MY_CLOUD_SECRET: 's3cret' };

beforeAll(async () => {
  ensureCliBuilt();
  dir = dirs.make();
  store = await initStore(dir);
  recorded = await fakeEmbedder();
  current = await fakeEmbedder();
  await cliOk([
    'ingest',
    '--store',
    store,
    '--session',
    'chat',
    writeTranscript(dir, 'chat.jsonl', TRANSCRIPT),
  ]);
  const config = writeFile(dir, 'recorded.toml', configText(recorded.url));
  callId = (
    await cliJson<{ callId: string }>(
      [
        'pack',
        '--store',
        store,
        '--config',
        config,
        '--session',
        'chat',
        '--task',
        'lisbon trains',
        '--budget',
        '300',
        '--now',
        '2026-11-25T12:00:00Z',
        '--trace',
        '--json',
      ],
      { env },
    )
  ).callId;
  expect(recorded.requests.length).toBeGreaterThan(0);
});
afterAll(() => {
  for (const s of servers) s.close();
  dirs.cleanup();
});

describe('endpoints come from the current config, never from a recording', () => {
  it('trace import refuses a bundle whose policy names an endpoint and a key variable', async () => {
    const file = join(dir, 'turn.json');
    await cliOk(['trace', 'export', callId, '--store', store, '--out', file]);
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as {
      trace: { policy: { retrievers: { name: string; options?: Record<string, unknown> }[] } };
    };
    const remote = bundle.trace.policy.retrievers.find((r) => r.name === 'remote');
    // Export leaves endpoints and key variables home.
    expect(remote?.options).toEqual({});
    if (remote !== undefined)
      remote.options = { base_url: recorded.url, api_key_env: 'MY_CLOUD_SECRET' };
    const crafted = writeFile(dir, 'crafted.json', JSON.stringify(bundle));
    expectFailure(
      await cli(['trace', 'import', crafted, '--store', join(dir, 'crafted-store')], { env }),
      1,
      /retriever "remote" names the endpoint .* which a bundle may not carry/,
    );
  });

  it('the exported bundle imports; its replay without a config sends nothing and says why', async () => {
    const file = join(dir, 'clean.json');
    await cliOk(['trace', 'export', callId, '--store', store, '--out', file]);
    const target = join(dir, 'imported');
    await cliOk(['trace', 'import', file, '--store', target]);
    const before = recorded.requests.length;
    const result = await cli(['trace', 'replay', callId, '--store', target, '--json'], { env });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      identical: boolean;
      divergence: { stage: string; detail: string };
    };
    expect(report.divergence.stage).toBe('config');
    expect(report.divergence.detail).toMatch(/add a \[\[retriever\]\] named "remote"/);
    expect(recorded.requests.length).toBe(before);
  });

  it('replay and what-if in the recording store never call the recorded endpoint without a config', async () => {
    const before = recorded.requests.length;
    const replayed = await cli(['trace', 'replay', callId, '--store', store, '--json'], { env });
    expect(JSON.parse(replayed.stdout)).toMatchObject({
      identical: false,
      divergence: { stage: 'config' },
    });
    expectFailure(
      await cli(['trace', 'what-if', callId, '--store', store, '--budget', '200'], { env }),
      1,
      /only from the current config/,
    );
    expect(recorded.requests.length).toBe(before);
  });

  it('with a config naming another endpoint, replay uses it and reports the recorded value that differs', async () => {
    const before = recorded.requests.length;
    const config = writeFile(dir, 'current.toml', configText(current.url));
    const report = await cliJson<{ identical: boolean; configDifferences: string[] }>(
      ['trace', 'replay', callId, '--store', store, '--config', config, '--json'],
      { env },
    );
    expect(report.configDifferences).toEqual([
      `retriever "remote": endpoint "${recorded.url}" recorded, "${current.url}" in the current config`,
    ]);
    expect(current.requests.length).toBeGreaterThan(0);
    expect(current.requests.every((r) => r.auth === 'Bearer s3cret')).toBe(true);
    expect(recorded.requests.length).toBe(before);
    const whatIf = await cliJson<{ promptHash: string }>(
      ['trace', 'what-if', callId, '--store', store, '--config', config, '--json'],
      { env },
    );
    expect(whatIf.promptHash).toMatch(/^[0-9a-f]{64}$/);
    expect(recorded.requests.length).toBe(before);
  });
});
