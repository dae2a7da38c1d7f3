// Turn bundles: one recorded call, self-contained. Export gathers the blocks the call saw (every
// candidate, plus what the pager may follow from them: dependencies, tool pairs, summaries), the
// edges among them, the trace record and the prompt bytes; import writes them into a new store
// with the same ids, so replaying the call there reproduces the same prompt hash.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import {
  isKnowledgeKind,
  Llm386Error,
  RUNTIME_VERSION,
  sha256Hex,
  type BlockId,
} from '../base/index';
import { Store, type Edge, type PutInput } from '../store/index';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  turnBundleSchema,
  type BundleBlock,
  type BundleBytes,
} from './bundle-schema';
import { describeSetting, externalSettings, withoutEndpoints } from './external';
import {
  flushTraces,
  getTrace,
  saveTrace,
  tracePrompt,
  TRACE_FORMAT_VERSION,
  type TraceRecord,
} from './trace';

/** A recorded turn with everything needed to inspect and replay it elsewhere. */
export interface TurnBundle {
  readonly format: typeof BUNDLE_FORMAT;
  readonly formatVersion: number;
  /** The runtime that exported it. */
  readonly runtimeVersion: string;
  readonly callId: string;
  /** The blocks the call saw, oldest first, with their bodies. */
  readonly blocks: readonly BundleBlock[];
  /** Every edge between two of those blocks. */
  readonly edges: readonly Edge[];
  /** The trace record: policy, model profile, task, required ids, watermark, plan. */
  readonly trace: TraceRecord;
  /** The exact prompt bytes (chat and provider modes: canonical JSON). */
  readonly prompt: BundleBytes;
}

/** What {@link importTurnBundle} made. */
export interface BundleImport {
  readonly dir: string;
  readonly callId: string;
  readonly blocks: number;
  readonly edges: number;
  readonly sessions: readonly string[];
}

// Edges the pager follows from a candidate: dependencies (out), tool pairs (both), summaries (in).
const FOLLOW = (edge: Edge, id: BlockId): boolean =>
  edge.kind === 'tool-invocation' ||
  (edge.from === id && (edge.kind === 'parent' || edge.kind === 'derived-from')) ||
  (edge.to === id && edge.kind === 'derived-from');

/**
 * Exports one recorded call as a bundle: every candidate of its plan and the blocks the pager
 * could reach from them (outgoing `parent`/`derived-from` closure, `tool-invocation` partners,
 * summaries `derived-from` a candidate), limited to blocks visible at the call's watermark; the
 * edges among them; the trace record (without endpoints and key variables) and the prompt bytes.
 * Throws `trace-not-found`, or `bundle-invalid` for a turn paged with a custom retriever.
 */
export async function exportTurnBundle(store: Store, callId: string): Promise<TurnBundle> {
  await flushTraces(store);
  const record = getTrace(store, callId);
  const custom = record.policy.retrievers.find((r) => r.kind === 'custom');
  if (custom !== undefined) {
    throw new Llm386Error(
      'bundle-invalid',
      `trace ${callId} was paged with the custom retriever "${custom.name}": a bundle cannot carry code, so this turn cannot be exported`,
    );
  }
  const gone = record.plan.selected.filter((s) => !store.hasBlock(s.id));
  if (gone.length > 0) {
    throw new Llm386Error(
      'block-not-found',
      `trace ${callId} selected ${gone.length} block(s) that have since been deleted (first ${gone[0]?.id ?? '?'}): a bundle must hold every selected block, so this turn cannot be exported`,
    );
  }
  // What existed at the call: written at or before its write sequence (older traces: by block id).
  const seq = record.plan.watermarkSeq;
  const visible = (id: BlockId) =>
    seq !== undefined
      ? (store.getRecord(id)?.seq ?? 0) <= seq
      : record.watermark === null || id <= record.watermark;
  const edgeExisted = (edge: Edge) =>
    seq === undefined || (store.edgeSeq(edge.from, edge.kind, edge.to) ?? 0) <= seq;
  const seen = new Set<BlockId>();
  const queue: BlockId[] = [];
  const visit = (id: BlockId) => {
    if (seen.has(id) || !visible(id) || !store.hasBlock(id)) return;
    seen.add(id);
    queue.push(id);
  };
  for (const c of [...record.plan.selected, ...record.plan.omitted]) visit(c.id);
  for (const id of record.required) visit(id);
  const edges = new Map<string, Edge>();
  while (queue.length > 0) {
    const id = queue.shift() as BlockId;
    for (const edge of store.edges(id, 'both')) {
      if (FOLLOW(edge, id) && edgeExisted(edge)) visit(edge.from === id ? edge.to : edge.from);
    }
  }
  const ids = [...seen].sort();
  for (const id of ids) {
    for (const edge of store.edges(id, 'out'))
      if (seen.has(edge.to) && edgeExisted(edge))
        edges.set(`${edge.from}|${edge.kind}|${edge.to}`, edge);
  }
  const blocks = ids.map((id): BundleBlock => {
    const r = store.requireRecord(id);
    const body = store.getBody(r.hash);
    if (body === undefined)
      throw new Llm386Error(
        'store-corrupt',
        `the body of block ${id} is missing: run \`llm386 verify\``,
      );
    return {
      id: r.id,
      kind: r.kind,
      hash: r.hash,
      priority: r.priority,
      createdAt: r.createdAt,
      sessions: [...r.sessions],
      labels: [...r.labels],
      ...(r.source === undefined ? {} : { source: r.source }),
      ...(r.toolCalls === undefined
        ? {}
        : {
            toolCalls: r.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })),
          }),
      ...(r.toolCallId === undefined ? {} : { toolCallId: r.toolCallId }),
      ...(r.name === undefined ? {} : { name: r.name }),
      body: toBytes(body),
    };
  });
  const prompt = tracePrompt(store, record);
  if (prompt === undefined)
    throw new Llm386Error(
      'store-corrupt',
      `the prompt of trace ${callId} is missing: run \`llm386 verify\``,
    );
  return {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    runtimeVersion: RUNTIME_VERSION,
    callId: record.callId,
    blocks,
    edges: [...edges.values()].sort((a, b) =>
      a.from + a.kind + a.to < b.from + b.kind + b.to ? -1 : 1,
    ),
    // Through JSON: the bundle is plain data, with no undefined fields or shared references.
    // Endpoints and key variables stay home: the importer's own config supplies them.
    trace: JSON.parse(
      JSON.stringify({
        ...record,
        policy: { ...record.policy, retrievers: record.policy.retrievers.map(withoutEndpoints) },
      }),
    ) as TraceRecord,
    prompt: toBytes(prompt),
  };
}

/**
 * Checks unknown data (parsed JSON) as a turn bundle: its schema, format version, every body and
 * the prompt against their hashes, and that every edge and the call's blocks are in it. Throws
 * `bundle-invalid` naming the first problem.
 */
export function parseTurnBundle(data: unknown): TurnBundle {
  const head = data as { format?: unknown; formatVersion?: unknown } | null;
  if (
    typeof head === 'object' &&
    head !== null &&
    head.format === BUNDLE_FORMAT &&
    typeof head.formatVersion === 'number' &&
    head.formatVersion > BUNDLE_FORMAT_VERSION
  ) {
    throw new Llm386Error(
      'bundle-invalid',
      `the bundle has format version ${head.formatVersion} but this llm386 reads up to ${BUNDLE_FORMAT_VERSION}: upgrade llm386`,
    );
  }
  const parsed = turnBundleSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where =
      issue === undefined || issue.path.length === 0
        ? ''
        : ` at ${issue.path.map(String).join('.')}`;
    throw new Llm386Error(
      'bundle-invalid',
      `not a valid turn bundle${where}: ${issue?.message ?? 'invalid'}: export one with \`llm386 trace export <call> --out FILE\``,
    );
  }
  const bundle = parsed.data as unknown as TurnBundle;
  const fail = (message: string) =>
    new Llm386Error('bundle-invalid', `not a valid turn bundle: ${message}`);
  if (bundle.trace.formatVersion > TRACE_FORMAT_VERSION)
    throw fail(`its trace record has format version ${bundle.trace.formatVersion}; upgrade llm386`);
  if (bundle.trace.callId !== bundle.callId)
    throw fail(`callId ${bundle.callId} does not match its trace record (${bundle.trace.callId})`);
  // A bundle is a file someone sent: it must never name where data is sent (an endpoint, a key
  // variable) or what code runs (a module). Replay takes those from the current config alone.
  const external = bundle.trace.policy.retrievers
    .flatMap(externalSettings)
    .find((s) => s.setting !== 'embedder');
  if (external !== undefined) {
    throw fail(
      `its policy's ${describeSetting(external)}, which a bundle may not carry: export it again with a current llm386 (which leaves them out), and set them in your own config`,
    );
  }
  const ids = new Set<string>();
  for (const block of bundle.blocks) {
    if (ids.has(block.id)) throw fail(`block ${block.id} appears twice`);
    ids.add(block.id);
    if (sha256Hex(fromBytes(block.body)) !== block.hash)
      throw fail(`the body of block ${block.id} does not match its hash`);
  }
  for (const edge of bundle.edges) {
    if (!ids.has(edge.from) || !ids.has(edge.to))
      throw fail(`edge ${edge.from} ${edge.kind} ${edge.to} names a block not in the bundle`);
    if (edge.from === edge.to) throw fail(`edge ${edge.from} ${edge.kind} points at itself`);
  }
  if (sha256Hex(fromBytes(bundle.prompt)) !== bundle.trace.promptHash)
    throw fail("the prompt does not match the trace record's prompt hash");
  for (const s of bundle.trace.plan.selected)
    if (!ids.has(s.id)) throw fail(`selected block ${s.id} is not in the bundle`);
  return bundle;
}

/**
 * Creates a new store in `dir` (which must not exist or be empty) from a bundle: the blocks with
 * their ids, times, sessions and labels, the edges, the trace record and the prompt bytes, in one
 * transaction. Validates first ({@link parseTurnBundle}); throws `bundle-invalid` or
 * `store-exists`.
 */
export function importTurnBundle(dir: string, data: unknown): BundleImport {
  const bundle = parseTurnBundle(data);
  const existed = existsSync(dir);
  if (existed && readdirSync(dir).length > 0) {
    throw new Llm386Error('store-exists', `${dir} is not empty: import a bundle into a new folder`);
  }
  const store = Store.init(dir);
  let ok = false;
  try {
    const puts: PutInput[] = [];
    for (const b of bundle.blocks) {
      const [first, ...others] = b.sessions;
      const common = {
        kind: b.kind,
        body: fromBytes(b.body),
        priority: b.priority,
        labels: b.labels,
        createdAt: b.createdAt,
      };
      puts.push({
        ...common,
        id: b.id,
        session: first as string,
        ...(b.source === undefined ? {} : { source: b.source }),
        ...(b.toolCalls === undefined ? {} : { toolCalls: b.toolCalls }),
        ...(b.toolCallId === undefined ? {} : { toolCallId: b.toolCallId }),
        ...(b.name === undefined ? {} : { name: b.name }),
      });
      // A knowledge block's other sessions: a put of the same body adds the session to it (event
      // blocks belong to one session: another put would make a new block).
      if (isKnowledgeKind(b.kind)) for (const session of others) puts.push({ ...common, session });
    }
    store.transaction(() => {
      const results = store.commit(puts, bundle.edges);
      for (let i = 0; i < puts.length; i++) {
        const wanted = puts[i]?.id;
        const got = results[i]?.block.id;
        if (wanted !== undefined && got !== wanted)
          throw new Llm386Error(
            'bundle-invalid',
            `not a valid turn bundle: block ${wanted} duplicates block ${got ?? '?'}`,
          );
      }
      // The imported store has its own write sequence: the call saw everything the bundle holds.
      const trace = {
        ...bundle.trace,
        plan: { ...bundle.trace.plan, watermarkSeq: store.changeSeq() },
      } as typeof bundle.trace;
      saveTrace(store, trace, fromBytes(bundle.prompt));
    });
    const sessions = [...new Set(bundle.blocks.flatMap((b) => b.sessions))].sort();
    ok = true;
    // A repeated edge is stored once: count what the store holds.
    const edges = new Set(bundle.edges.map((e) => `${e.from}|${e.kind}|${e.to}`)).size;
    return { dir: store.dir, callId: bundle.callId, blocks: bundle.blocks.length, edges, sessions };
  } finally {
    store.close();
    // Nothing half-made stays behind: the folder was empty (or absent) before.
    if (!ok) rmSync(dir, { recursive: true, force: true });
    if (!ok && existed) mkdirSync(dir);
  }
}

// ignoreBOM: a leading byte-order mark is part of the body and must survive the round trip.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function toBytes(bytes: Uint8Array): BundleBytes {
  let text: string | undefined;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = undefined;
  }
  return text === undefined
    ? { encoding: 'base64', data: Buffer.from(bytes).toString('base64') }
    : { encoding: 'utf8', data: text };
}

function fromBytes(bytes: BundleBytes): Uint8Array {
  return bytes.encoding === 'utf8'
    ? Buffer.from(bytes.data, 'utf8')
    : Buffer.from(bytes.data, 'base64');
}
