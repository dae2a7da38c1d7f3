import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLlm386Error } from '../base/index';
import { DEFAULT_CONFIG } from '../config/index';
import { conversation, MODEL } from '../pager/test-fixtures';
import { Store } from '../store/index';
import { useTempDirs, useTempStores } from '../store/test-helpers';
import { exportTurnBundle, importTurnBundle, parseTurnBundle, type TurnBundle } from './bundle';
import { recordedPolicy, tracedCall } from './call';
import { replay } from './replay';
import { getTrace } from './trace';

const fresh = useTempStores();
const policy = recordedPolicy(DEFAULT_CONFIG);
const tempDir = useTempDirs('llm386-bundle-');
/** A path, not yet created, in a new temp directory. */
const newDir = () => join(tempDir(), 'imported');

async function recordedTurn(
  options: {
    budget?: number;
    mode?: 'string' | 'chat' | 'openai' | 'anthropic';
    facts?: number;
  } = {},
) {
  const t = fresh();
  conversation(t.store, 's', 30);
  const facts: string[] = [];
  for (let i = 0; i < (options.facts ?? 40); i++) {
    facts.push(
      t.store.put({
        session: 's',
        kind: 'fact',
        body: `fact ${i}: topic ${i % 7} is about ${i * 11} and ${['trains', 'lisbon', 'music'][i % 3]}`,
      }).block.id,
    );
  }
  // A summary of two facts, a block shared with a global session, an unrelated session, a binary body.
  const summary = t.store.put({
    session: 's',
    kind: 'summary',
    body: 'facts 0 and 1 are about topics 0 and 1',
  }).block.id;
  t.store.addEdge(summary, 'derived-from', facts[0] as string);
  t.store.addEdge(summary, 'derived-from', facts[1] as string);
  t.store.put({ session: 'g', kind: 'fact', body: 'fact 3: topic 3 is about 33 and lisbon' });
  t.store.put({ session: 'other', kind: 'fact', body: 'unrelated fact about topic 3' });
  t.store.put({
    session: 's',
    kind: 'document-chunk',
    body: new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]),
  });
  t.store.put({
    session: 's',
    kind: 'document-chunk',
    body: new Uint8Array([0xff, 0x00, 0xfe, 0x01]),
  });
  const call = await tracedCall(
    t.store,
    {
      session: 's',
      task: 'what about topic 3 and lisbon?',
      model: MODEL,
      budget: options.budget ?? 700,
      now: 1_800_000_000_000,
      mode: options.mode ?? 'string',
    },
    policy,
  );
  await call.recorded;
  // Later writes must not leak into the bundle.
  conversation(t.store, 's', 3, 1_900_000_000_000);
  return { ...t, call };
}

/** A bundle as it travels: through JSON text. */
function viaJson(bundle: TurnBundle): unknown {
  return JSON.parse(JSON.stringify(bundle));
}

describe('turn bundles', () => {
  it('round trip: export a turn, import it into a new store, and replay there is identical', async () => {
    for (const mode of ['string', 'chat', 'anthropic'] as const) {
      const { store, call } = await recordedTurn({ mode });
      const bundle = await exportTurnBundle(store, call.record.callId);
      expect(bundle.trace.plan.omitted.length, mode).toBeGreaterThan(0);
      const dir = newDir();
      const made = importTurnBundle(dir, viaJson(bundle));
      expect(made).toMatchObject({ callId: call.record.callId, blocks: bundle.blocks.length });
      const imported = Store.open(dir);
      try {
        expect(getTrace(imported, call.record.callId).promptHash).toBe(call.promptHash);
        const report = await replay(imported, call.record.callId);
        expect(report, mode).toMatchObject({ identical: true, missing: [] });
      } finally {
        imported.close();
      }
    }
  });

  it('holds every candidate with its body, the edges among them, and nothing newer than the watermark', async () => {
    const { store, call } = await recordedTurn();
    const bundle = await exportTurnBundle(store, call.record.callId);
    const ids = new Set(bundle.blocks.map((b) => b.id));
    for (const c of [...call.plan.selected, ...call.plan.omitted]) expect(ids.has(c.id)).toBe(true);
    for (const b of bundle.blocks) expect(b.id <= (call.record.watermark as string)).toBe(true);
    expect(bundle.edges.some((e) => e.kind === 'tool-invocation')).toBe(true);
    for (const e of bundle.edges) expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
    expect(bundle.blocks.some((b) => b.body.encoding === 'base64')).toBe(true);
    expect(bundle).toMatchObject({
      format: 'llm386-turn-bundle',
      formatVersion: 1,
      callId: call.record.callId,
    });
  });

  it('rejects invalid bundles with bundle-invalid and a message naming the problem', async () => {
    const { store, call } = await recordedTurn();
    const good = viaJson(await exportTurnBundle(store, call.record.callId)) as TurnBundle;
    const cases: [unknown, RegExp][] = [
      [{ hello: 'world' }, /not a valid turn bundle at format/],
      [null, /not a valid turn bundle/],
      [{ ...good, formatVersion: 99 }, /format version 99.*upgrade llm386/],
      [{ ...good, callId: 'nope' }, /at callId: a block id is 32 lowercase hex/],
      [
        {
          ...good,
          blocks: good.blocks.map((b, i) =>
            i === 0 ? { ...b, body: { encoding: 'utf8', data: 'tampered' } } : b,
          ),
        },
        /does not match its hash/,
      ],
      [{ ...good, prompt: { encoding: 'utf8', data: 'another prompt' } }, /prompt does not match/],
      [
        { ...good, edges: [{ from: good.callId, kind: 'parent', to: good.blocks[0]?.id }] },
        /names a block not in the bundle/,
      ],
      [
        {
          ...good,
          trace: {
            ...good.trace,
            policy: {
              ...good.trace.policy,
              retrievers: [{ kind: 'custom', name: 'x', weight: 1, module: '/tmp/evil.mjs' }],
            },
          },
        },
        /retriever "x" names the module "\/tmp\/evil.mjs", which a bundle may not carry/,
      ],
    ];
    for (const [data, message] of cases) {
      let caught: unknown;
      try {
        parseTurnBundle(data);
      } catch (error) {
        caught = error;
      }
      expect(isLlm386Error(caught, 'bundle-invalid'), String(message)).toBe(true);
      expect((caught as Error).message).toMatch(message);
    }
  });

  it('writes nothing for an invalid bundle and refuses a folder that is not empty', async () => {
    const { store, dir, call } = await recordedTurn();
    const target = newDir();
    expect(() => importTurnBundle(target, { format: 'llm386-turn-bundle' })).toThrow(
      /not a valid turn bundle/,
    );
    expect(() => readdirSync(target)).toThrow();
    const bundle = viaJson(await exportTurnBundle(store, call.record.callId));
    expect(() => importTurnBundle(dir, bundle)).toThrow(
      expect.objectContaining({ code: 'store-exists' }),
    );
  });

  it("keeps each block's own time and speaker across export and import", async () => {
    const t = fresh();
    const said = t.store.put({
      session: 's',
      kind: 'user-message',
      body: 'I moved to Lisbon in 2021',
      createdAt: 1_600_000_000_000,
      name: 'Ines',
    }).block;
    const call = await tracedCall(
      t.store,
      {
        session: 's',
        task: 'where does Ines live?',
        model: MODEL,
        budget: 300,
        now: 1_800_000_000_000,
      },
      policy,
    );
    await call.recorded;
    const dir = newDir();
    importTurnBundle(
      dir,
      JSON.parse(JSON.stringify(await exportTurnBundle(t.store, call.record.callId))),
    );
    const imported = Store.open(dir);
    expect(imported.getRecord(said.id)).toMatchObject({
      createdAt: 1_600_000_000_000,
      name: 'Ines',
    });
    imported.close();
  });

  it('reports the edges it stored: a repeated edge counts once', async () => {
    const t = await recordedTurn();
    const bundle = JSON.parse(
      JSON.stringify(await exportTurnBundle(t.store, t.call.record.callId)),
    ) as TurnBundle;
    const first = bundle.edges[0];
    expect(first).toBeDefined();
    const repeated = {
      ...bundle,
      edges: [...bundle.edges, ...Array.from({ length: 500 }, () => first)],
    };
    expect(importTurnBundle(newDir(), repeated).edges).toBe(bundle.edges.length);
  });

  it('refuses to export a turn whose selected block was deleted since (the bundle would not import)', async () => {
    const t = await recordedTurn();
    const victim = t.call.plan.selected.find((s) => s.reason !== 'system')?.id as string;
    t.store.delete(victim);
    await expect(exportTurnBundle(t.store, t.call.record.callId)).rejects.toThrow(
      /selected 1 block\(s\) that have since been deleted \(first [0-9a-f]{32}\)/,
    );
  });

  it('fails with trace-not-found for an unknown call', async () => {
    const { store } = await recordedTurn();
    await expect(exportTurnBundle(store, '0'.repeat(32))).rejects.toMatchObject({
      code: 'trace-not-found',
    });
  });
});
