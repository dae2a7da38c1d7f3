// `llm386 ingest` through the real binary: plain files, folders and JSONL transcripts in the
// OpenAI messages format, tool-call pairing, and the progress output on stderr. Loading a tokenizer
// costs a process about 2 s, so only the transcript test counts tokens (the default).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cli,
  cliJson,
  cliOk,
  ensureCliBuilt,
  expectFailure,
  initStore,
  sessionBlocks,
  sessionIds,
  tempDirs,
  writeFile,
  writeTranscript,
  type CliResult,
  type ChatMessage,
} from './cli-test-helpers';

interface ShowJson {
  id: string;
  kind: string;
  body: string | null;
  source: string | null;
  toolCalls: { id: string; name: string; arguments: string }[];
  toolCallId: string | null;
}
interface EdgeJson {
  from: string;
  kind: string;
  to: string;
}

const TRANSCRIPT: ChatMessage[] = [
  { role: 'system', content: 'You are a weather assistant.' },
  { role: 'user', content: 'What is the weather in Paris?' },
  {
    role: 'assistant',
    content: null,
    tool_calls: [
      {
        id: 'call_1',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
      },
    ],
  },
  { role: 'tool', tool_call_id: 'call_1', content: '18 C and sunny' },
  { role: 'assistant', content: 'It is 18 C and sunny in Paris.' },
];

const dirs = tempDirs();
let work: string;
let store: string;

beforeAll(async () => {
  ensureCliBuilt();
  work = dirs.make();
  store = await initStore(work);
});
afterAll(() => dirs.cleanup());

const show = (id: string) => cliJson<ShowJson>(['show', id, '--store', store]);

describe.concurrent('ingest of a plain file', () => {
  it('stores it as one document-chunk with the path as its source', async () => {
    const file = writeFile(work, 'readme.md', '# Title\n\nSome documentation.\n');
    const result = await cli([
      'ingest',
      '--session',
      'plain',
      file,
      '--tokenizer',
      'none',
      '--store',
      store,
    ]);
    expect(result.code).toBe(0);
    const ids = sessionIds(store, 'plain');
    expect(ids).toHaveLength(1);
    const block = await show(ids[0] ?? '');
    expect(block).toMatchObject({
      kind: 'document-chunk',
      body: '# Title\n\nSome documentation.\n',
      source: file,
    });
  });

  it('splits a file longer than --chunk-chars into several chunks', async () => {
    const paragraphs = Array.from({ length: 6 }, (_, i) => `paragraph ${i} `.repeat(8).trim()).join(
      '\n\n',
    );
    const file = writeFile(work, 'long.txt', paragraphs);
    const result = await cli([
      'ingest',
      '--session',
      'chunked',
      file,
      '--chunk-chars',
      '200',
      '--tokenizer',
      'none',
      '--store',
      store,
    ]);
    expect(result.code).toBe(0);
    const ids = sessionIds(store, 'chunked');
    expect(ids.length).toBeGreaterThan(1);
    const bodies = await Promise.all(ids.map(async (id) => (await show(id)).body ?? ''));
    expect(bodies.every((b) => b.length <= 200)).toBe(true);
    expect(bodies.join('')).toBe(paragraphs);
  });
});

describe.concurrent('ingest of a folder', () => {
  it('walks it recursively and skips dot-entries', async () => {
    const root = join(work, 'docs');
    mkdirSync(join(root, 'guide', 'deep'), { recursive: true });
    mkdirSync(join(root, '.git'), { recursive: true });
    writeFile(root, 'index.md', 'top level');
    writeFile(join(root, 'guide'), 'one.md', 'guide one');
    writeFile(join(root, 'guide', 'deep'), 'two.txt', 'deep two');
    writeFile(join(root, '.git'), 'config', 'never ingested');
    const result = await cli([
      'ingest',
      '--session',
      'folder',
      root,
      '--tokenizer',
      'none',
      '--store',
      store,
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      session: 'folder',
      blocks: 3,
      deduped: 0,
      skipped: 0,
    });
    const blocks = await Promise.all(sessionIds(store, 'folder').map(show));
    expect(blocks.map((b) => b.body).sort()).toEqual(['deep two', 'guide one', 'top level']);
    expect(blocks.map((b) => b.source).sort()).toEqual(
      [
        join(root, 'guide', 'deep', 'two.txt'),
        join(root, 'guide', 'one.md'),
        join(root, 'index.md'),
      ].sort(),
    );
  });
});

describe.concurrent('ingest of a JSONL transcript', () => {
  let result: CliResult;
  let blocks: ShowJson[];

  beforeAll(async () => {
    const file = writeTranscript(work, 'chat.jsonl', TRANSCRIPT);
    result = await cli(['ingest', '--session', 'chat', file, '--store', store]);
    blocks = await Promise.all(sessionIds(store, 'chat').map(show));
  });

  it('stores one block per message with the kind its role maps to', () => {
    expect(result.code).toBe(0);
    expect(blocks.map((b) => b.kind)).toEqual([
      'system',
      'user-message',
      'assistant-message',
      'tool-result',
      'assistant-message',
    ]);
    expect(blocks[1]?.body).toBe('What is the weather in Paris?');
  });

  it('keeps the tool calls of an assistant message and the call id of the tool message', () => {
    expect(blocks[2]?.toolCalls).toEqual([
      { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
    ]);
    expect(blocks[3]?.toolCallId).toBe('call_1');
  });

  it('links the tool result to the assistant message that called it with a tool-invocation edge', async () => {
    const caller = blocks[2]?.id ?? '';
    const answer = blocks[3]?.id ?? '';
    expect(await cliJson<EdgeJson[]>(['edges', caller, '--store', store])).toEqual([
      { from: caller, kind: 'tool-invocation', to: answer },
    ]);
    expect(await cliJson<EdgeJson[]>(['edges', answer, '--incoming', '--store', store])).toEqual([
      { from: caller, kind: 'tool-invocation', to: answer },
    ]);
  });

  it('prints a summary on stdout and progress on stderr', () => {
    expect(result.stdout).toBe('ingested 5 blocks into chat (0 deduplicated)\n');
    // stderr is a pipe here, so progress comes as plain lines, not a redrawn bar.
    expect(result.stderr).toMatch(/^ingest: 5\/5 committed \(100%, \d+\/s\)$/m);
    expect(result.stderr).not.toContain('\r');
  });

  it('accepts a {"messages": [...]} object per line', async () => {
    const file = writeFile(
      work,
      'wrapped.jsonl',
      `${JSON.stringify({ messages: TRANSCRIPT.slice(0, 2) })}\n`,
    );
    const wrapped = await cli([
      'ingest',
      '--session',
      'wrapped',
      file,
      '--tokenizer',
      'none',
      '--store',
      store,
    ]);
    expect(wrapped.code).toBe(0);
    expect(await sessionBlocks(store, 'wrapped')).toBe(2);
  });
});

describe.concurrent('ingest progress', () => {
  it('prints a committed count after batches as they become durable', async () => {
    const file = writeTranscript(
      work,
      'batches.jsonl',
      Array.from({ length: 30 }, (_, i) => ({ role: 'user', content: `m${i}` })),
    );
    const result = await cli([
      'ingest',
      '--session',
      'batches',
      file,
      '--batch',
      '10',
      '--tokenizer',
      'none',
      '--store',
      store,
    ]);
    expect(result.code).toBe(0);
    const counts = [...result.stderr.matchAll(/^ingest: (\d+)\/30 committed/gm)].map((m) =>
      Number(m[1]),
    );
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((n) => n % 10 === 0)).toBe(true);
    expect(counts.at(-1)).toBe(30);
  });
});

describe.concurrent('ingest of bad input', () => {
  it('names the file and line of a line that is not JSON and stores nothing (exit 1)', async () => {
    const file = writeFile(work, 'broken.jsonl', '{"role":"user","content":"fine"}\n{not json\n');
    expectFailure(
      await cli(['ingest', '--session', 'broken', file, '--store', store]),
      1,
      /broken\.jsonl:2: not valid JSON: fix the line or remove it/,
    );
    expect(await sessionBlocks(store, 'broken')).toBe(0);
  });

  it('names an unknown role (exit 1)', async () => {
    const file = writeFile(work, 'robot.jsonl', '{"role":"robot","content":"beep"}\n');
    expectFailure(
      await cli(['ingest', '--session', 'robot', file, '--store', store]),
      1,
      /robot\.jsonl:1: unknown role "robot": use system, user, assistant or tool/,
    );
  });

  it('rejects a path that does not exist (exit 2)', async () => {
    expectFailure(
      await cli(['ingest', '--session', 'nope', join(work, 'missing'), '--store', store]),
      2,
      /cannot read .*missing: check the path/,
    );
  });

  it('requires --session (exit 2)', async () => {
    expectFailure(
      await cli(['ingest', join(work, 'readme.md'), '--store', store]),
      2,
      /--session is required/,
    );
  });
});

describe.concurrent('ingest of times and speakers', () => {
  it('keeps created_at (ISO 8601, Unix seconds or ms) and name; ids stay the time of writing', async () => {
    const file = writeFile(
      work,
      'dated.jsonl',
      [
        { role: 'user', content: 'first', created_at: '2023-05-20T10:00:00Z', name: 'Alice' },
        { role: 'assistant', content: 'second', created_at: 1684576860 },
        { role: 'user', content: 'third', created_at: 1684576920000, name: 'Bob' },
        { role: 'user', content: 'fourth', created_at: '2023-05-20 10:03' },
      ]
        .map((m) => JSON.stringify(m))
        .join('\n'),
    );
    const before = Date.now();
    await cliJson([
      'ingest',
      '--session',
      'dated',
      file,
      '--store',
      store,
      '--tokenizer',
      'none',
      '--json',
    ]);
    const blocks = await Promise.all(
      sessionIds(store, 'dated').map((id) =>
        cliJson<ShowJson & { createdAt: number; name: string | null }>([
          'show',
          id,
          '--store',
          store,
          '--json',
        ]),
      ),
    );
    expect(blocks.map((b) => [b.body, new Date(b.createdAt).toISOString(), b.name])).toEqual([
      ['first', '2023-05-20T10:00:00.000Z', 'Alice'],
      ['second', '2023-05-20T10:01:00.000Z', null],
      ['third', '2023-05-20T10:02:00.000Z', 'Bob'],
      ['fourth', '2023-05-20T10:03:00.000Z', null],
    ]);
    // Backdated blocks still sort by when they were written.
    for (const b of blocks)
      expect(Number.parseInt(b.id.slice(0, 12), 16)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('a bad created_at or name names the file and line, and nothing is written (exit 1)', async () => {
    const bad = writeFile(
      work,
      'baddate.jsonl',
      '{"role":"user","content":"ok"}\n{"role":"user","content":"x","created_at":"last tuesday"}\n',
    );
    expectFailure(
      await cli(['ingest', '--session', 'baddate', bad, '--store', store, '--tokenizer', 'none']),
      1,
      /baddate\.jsonl:2: "created_at" "last tuesday" is not a time/,
    );
    expect(await sessionBlocks(store, 'baddate')).toBe(0);
    const badName = writeFile(work, 'badname.jsonl', '{"role":"user","content":"ok","name":""}\n');
    expectFailure(
      await cli([
        'ingest',
        '--session',
        'badname',
        badName,
        '--store',
        store,
        '--tokenizer',
        'none',
      ]),
      1,
      /badname\.jsonl:1: "name" must be a string of 1-128 characters/,
    );
    expect(await sessionBlocks(store, 'badname')).toBe(0);
  });

  it('put --created-at and --name; a bad --created-at is a usage error', async () => {
    const file = writeFile(work, 'said.txt', 'I moved to Lisbon');
    const { id } = await cliJson<{ id: string }>([
      'put',
      file,
      '--session',
      'said',
      '--kind',
      'user-message',
      '--created-at',
      '2021-01-02',
      '--name',
      'Ines',
      '--store',
      store,
      '--json',
    ]);
    const shown = await cliJson<{ createdAt: number; name: string }>([
      'show',
      id,
      '--store',
      store,
      '--json',
    ]);
    expect([new Date(shown.createdAt).toISOString(), shown.name]).toEqual([
      '2021-01-02T00:00:00.000Z',
      'Ines',
    ]);
    expectFailure(
      await cli([
        'put',
        file,
        '--session',
        'said',
        '--kind',
        'fact',
        '--created-at',
        'soon',
        '--store',
        store,
      ]),
      2,
      /--created-at "soon" is not a time/,
    );
  });
});

describe.concurrent('ingest of Anthropic Messages and OpenAI Responses transcripts', () => {
  const kindsAndPairs = async (session: string) => {
    const blocks = await Promise.all(sessionIds(store, session).map(show));
    const edges = (
      await Promise.all(blocks.map((b) => cliJson<EdgeJson[]>(['edges', b.id, '--store', store])))
    ).flat();
    return { blocks, edges };
  };

  it("pairs Anthropic tool_use and tool_result blocks, and keeps a request's system prompt", async () => {
    const lines = [
      {
        system: 'You answer about weather.',
        messages: [{ role: 'user', content: 'Weather in Paris and Rome?' }],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me check both.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '18 C, sunny' },
          {
            type: 'tool_result',
            tool_use_id: 'toolu_2',
            content: [{ type: 'text', text: 'no data' }],
            is_error: true,
          },
          { type: 'text', text: 'Thanks!' },
        ],
      },
    ];
    const file = writeFile(
      work,
      'anthropic.jsonl',
      lines.map((l) => JSON.stringify(l)).join('\n') + '\n',
    );
    await cliOk(['ingest', '--session', 'anthropic', file, '--store', store]);
    const { blocks, edges } = await kindsAndPairs('anthropic');
    expect(blocks.map((b) => [b.kind, b.body])).toEqual([
      ['system', 'You answer about weather.'],
      ['user-message', 'Weather in Paris and Rome?'],
      ['assistant-message', 'Let me check both.'],
      ['user-message', 'Thanks!'],
      ['tool-result', '18 C, sunny'],
      ['tool-result', '[error] no data'],
    ]);
    expect(blocks[2]?.toolCalls).toEqual([
      { id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { id: 'toolu_2', name: 'get_weather', arguments: '{"city":"Rome"}' },
    ]);
    const caller = blocks[2]?.id;
    expect(edges.filter((e) => e.kind === 'tool-invocation')).toEqual([
      { from: caller, kind: 'tool-invocation', to: blocks[4]?.id },
      { from: caller, kind: 'tool-invocation', to: blocks[5]?.id },
    ]);
  });

  it('pairs Responses API function_call and function_call_output items, from an input list or one item per line', async () => {
    const lines = [
      {
        input: [
          {
            type: 'message',
            role: 'user',
            content: [{ type: 'input_text', text: 'Convert 3 km to miles.' }],
          },
        ],
      },
      { type: 'reasoning', id: 'rs_1', summary: [] },
      { type: 'function_call', call_id: 'call_9', name: 'convert', arguments: '{"km":3}' },
      { type: 'function_call_output', call_id: 'call_9', output: '1.86 miles' },
      {
        output: [
          {
            type: 'message',
            role: 'assistant',
            content: [{ type: 'output_text', text: 'About 1.86 miles.' }],
          },
        ],
      },
    ];
    const file = writeFile(
      work,
      'responses.jsonl',
      lines.map((l) => JSON.stringify(l)).join('\n') + '\n',
    );
    const result = await cli(['ingest', '--session', 'responses', file, '--store', store]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /skipped 1 message\(s\) \(a "reasoning" item is not a message\), the first at .*responses\.jsonl:2/,
    );
    const { blocks, edges } = await kindsAndPairs('responses');
    expect(blocks.map((b) => [b.kind, b.body])).toEqual([
      ['user-message', 'Convert 3 km to miles.'],
      ['assistant-message', 'convert({"km":3})'],
      ['tool-result', '1.86 miles'],
      ['assistant-message', 'About 1.86 miles.'],
    ]);
    expect(blocks[1]?.toolCalls).toEqual([
      { id: 'call_9', name: 'convert', arguments: '{"km":3}' },
    ]);
    expect(edges.filter((e) => e.kind === 'tool-invocation')).toEqual([
      { from: blocks[1]?.id, kind: 'tool-invocation', to: blocks[2]?.id },
    ]);
  });

  it('names the file and line of a malformed tool block, and writes nothing', async () => {
    const good = JSON.stringify({ role: 'user', content: 'hello' });
    const bad = JSON.stringify({
      role: 'user',
      content: [{ type: 'tool_result', content: 'no id' }],
    });
    const file = writeFile(work, 'bad-anthropic.jsonl', `${good}\n${bad}\n`);
    expectFailure(
      await cli(['ingest', '--session', 'bad-anthropic', file, '--store', store]),
      1,
      new RegExp(
        `${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: a "tool_result" block needs "tool_use_id"`,
      ),
    );
    expect(sessionIds(store, 'bad-anthropic')).toEqual([]);
    const noCall = writeFile(
      work,
      'bad-responses.jsonl',
      `${JSON.stringify({ type: 'function_call', name: 'x' })}\n`,
    );
    expectFailure(
      await cli(['ingest', '--session', 'bad-responses', noCall, '--store', store]),
      1,
      /bad-responses\.jsonl:1: a "function_call" item needs "call_id" and "name"/,
    );
  });
});
