import {
  isBlockId,
  isKnowledgeKind,
  KNOWLEDGE_KINDS,
  Llm386Error,
  BLOCK_KINDS,
  type BlockKind,
  type EdgeKind,
} from '../base/index';
import type { PutInput } from '../store/index';
import {
  callSource,
  checkReduceInput,
  reducerId,
  type Reducer,
  type Reduction,
  type ReductionEdge,
} from './reducer';

/** One event of a `json-events` envelope, after validation. */
export interface JsonEvent {
  readonly kind: BlockKind;
  readonly body: string;
  readonly labels?: readonly string[] | undefined;
  readonly priority?: number | undefined;
  /** Existing block ids, or `$n` for the block of an earlier event `n` of the same envelope. */
  readonly parents?: readonly string[] | undefined;
  readonly source?: string | undefined;
}

const EVENT_FIELDS = ['kind', 'body', 'labels', 'priority', 'parents', 'source'] as const;
const KNOWLEDGE_LIST = BLOCK_KINDS.filter((k) => KNOWLEDGE_KINDS.has(k)).join(', ');
const ENVELOPE_HINT =
  'send {"events": [{"kind": "fact", "body": "..."}]}, bare or in one ```json fence';

function reject(problem: string, index?: number): never {
  const where = index === undefined ? '' : `event ${index}: `;
  throw new Llm386Error('invalid-input', `json-events: ${where}${problem}; nothing was stored`, {
    details: { reducer: 'json-events', ...(index === undefined ? {} : { index }), problem },
  });
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object'
    ? 'an object'
    : `${typeof value} ${JSON.stringify(value)?.slice(0, 40) ?? ''}`.trim();
}

/**
 * The envelope's JSON text: the whole output when it starts with `{` or `[` (bare), else the content of
 * its one ```json fence (or, when there is none, its one unlabelled ``` fence). Prose around a
 * fence is allowed; prose around bare JSON, no fence, or two candidate fences is rejected.
 */
export function envelopeText(output: string): string {
  const trimmed = output.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return trimmed;
  const fences = fencedBlocks(output);
  const json = fences.filter((f) => f.info === 'json');
  const candidates = json.length > 0 ? json : fences.filter((f) => f.info === '');
  if (candidates.length === 0)
    reject(
      `no envelope found (the output is neither bare JSON nor a \`\`\`json fence): ${ENVELOPE_HINT}`,
    );
  if (candidates.length > 1)
    reject(
      `found ${candidates.length} fenced JSON blocks, so the envelope is ambiguous: send exactly one`,
    );
  return (candidates[0]?.content ?? '').trim();
}

/** Markdown code fences, by a line scan: an opening ```info line, then lines up to a bare ``` line. */
function fencedBlocks(output: string): { info: string; content: string }[] {
  const out: { info: string; content: string }[] = [];
  let open: { info: string; lines: string[] } | undefined;
  for (const line of output.split(/\r?\n/)) {
    if (open === undefined) {
      const m = /^\s*```\s*([^`]*)$/.exec(line);
      if (m !== null) open = { info: (m[1] ?? '').trim().toLowerCase(), lines: [] };
    } else if (/^\s*```\s*$/.test(line)) {
      out.push({ info: open.info, content: open.lines.join('\n') });
      open = undefined;
    } else {
      open.lines.push(line);
    }
  }
  return out;
}

/**
 * Parses and validates an envelope `{"events": [...]}`; throws `invalid-input` naming the first
 * bad event and its problem. No other top-level or event fields are allowed (a typo such as
 * `"parent"` must not silently drop an edge). `{"events": []}` is valid and stores nothing.
 */
export function parseEnvelope(output: string): JsonEvent[] {
  const text = envelopeText(output);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    reject(`the envelope is not valid JSON (${(error as Error).message}): ${ENVELOPE_HINT}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    reject(`the envelope is ${describeValue(value)}, not an object: ${ENVELOPE_HINT}`);
  const extra = Object.keys(value).filter((k) => k !== 'events');
  if (extra.length > 0)
    reject(`unknown top-level field "${extra[0]}": the envelope has only "events"`);
  const events = (value as { events?: unknown }).events;
  if (events === undefined) reject(`the envelope has no "events" array: ${ENVELOPE_HINT}`);
  if (!Array.isArray(events)) reject(`"events" is ${describeValue(events)}, not an array`);
  return events.map((event, index) => checkEvent(event, index));
}

function checkEvent(event: unknown, index: number): JsonEvent {
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    reject(`is ${describeValue(event)}, not an object`, index);
  const e = event as Record<string, unknown>;
  const unknown = Object.keys(e).find((k) => !(EVENT_FIELDS as readonly string[]).includes(k));
  if (unknown !== undefined)
    reject(`unknown field "${unknown}": use ${EVENT_FIELDS.join(', ')}`, index);

  if (e.kind === undefined) reject(`has no "kind": use one of ${KNOWLEDGE_LIST}`, index);
  if (typeof e.kind !== 'string') reject(`"kind" is ${describeValue(e.kind)}, not a string`, index);
  if (!(BLOCK_KINDS as readonly string[]).includes(e.kind))
    reject(`unknown kind "${e.kind.slice(0, 40)}": use one of ${KNOWLEDGE_LIST}`, index);
  const kind = e.kind as BlockKind;
  if (!isKnowledgeKind(kind))
    reject(
      `kind "${kind}" is not a knowledge kind (messages and tool results are stored by the runtime): use one of ${KNOWLEDGE_LIST}`,
      index,
    );

  if (e.body === undefined) reject('has no "body"', index);
  if (typeof e.body !== 'string') reject(`"body" is ${describeValue(e.body)}, not a string`, index);
  if (e.body.trim() === '') reject('"body" is empty', index);

  if (e.priority !== undefined && (typeof e.priority !== 'number' || !Number.isFinite(e.priority)))
    reject(`"priority" is ${describeValue(e.priority)}, not a number`, index);
  if (typeof e.priority === 'number' && (e.priority < 0 || e.priority > 1))
    reject(`"priority" ${e.priority} is out of range: use a number from 0 to 1`, index);

  const labels = stringList(e.labels, 'labels', index);
  const parents = stringList(e.parents, 'parents', index);
  for (const p of parents ?? []) checkParent(p, index);

  if (e.source !== undefined && (typeof e.source !== 'string' || e.source === ''))
    reject(`"source" is ${describeValue(e.source)}, not a non-empty string`, index);

  return {
    kind,
    body: e.body,
    ...(labels === undefined ? {} : { labels }),
    ...(e.priority === undefined ? {} : { priority: e.priority as number }),
    ...(parents === undefined ? {} : { parents }),
    ...(e.source === undefined ? {} : { source: e.source as string }),
  };
}

function stringList(value: unknown, field: string, index: number): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value))
    reject(`"${field}" is ${describeValue(value)}, not an array of strings`, index);
  for (const [i, item] of value.entries()) {
    if (typeof item !== 'string' || item === '')
      reject(`"${field}"[${i}] is ${describeValue(item)}, not a non-empty string`, index);
  }
  return value as string[];
}

function checkParent(parent: string, index: number): void {
  const ref = /^\$(\d+)$/.exec(parent);
  if (ref !== null) {
    const n = Number(ref[1]);
    if (n === index) reject(`parent "${parent}" refers to the event itself`, index);
    if (n > index)
      reject(
        `parent "${parent}" refers forward to a later event: a "$n" parent must name an earlier event`,
        index,
      );
    return;
  }
  if (!isBlockId(parent))
    reject(
      `parent "${parent.slice(0, 40)}" is neither a block id (32 lowercase hex characters) nor "$n" (an earlier event)`,
      index,
    );
}

/** The edge kind an event's parents become: `derived-from` for a summary (what it summarises), else `parent`. */
export function parentEdgeKind(kind: BlockKind): EdgeKind {
  return kind === 'summary' ? 'derived-from' : 'parent';
}

/**
 * Stores each event of a JSON envelope as a block of a knowledge kind, with its parents as edges.
 *
 * Event `i` gets id `reducerId(callId, i, now)`; `$n` parents resolve to event `n`'s id. Blocks
 * are created at `now` with source `call:<callId>` unless the event names one. Any invalid event
 * throws `invalid-input` naming its index and the problem, and no reduction is returned.
 */
export const jsonEvents: Reducer = (input) => {
  checkReduceInput(input);
  return eventsReduction(parseEnvelope(input.output), input.callId, input.session, input.now);
};

/** The reduction for validated events. */
function eventsReduction(
  events: readonly JsonEvent[],
  callId: string,
  session: string,
  now: number,
): Reduction {
  const ids = events.map((_, i) => reducerId(callId, i, now));
  const puts: PutInput[] = [];
  const edges: ReductionEdge[] = [];
  for (const [i, event] of events.entries()) {
    const id = ids[i] as string;
    puts.push({
      id,
      session,
      kind: event.kind,
      body: event.body,
      createdAt: now,
      source: event.source ?? callSource(callId),
      ...(event.labels === undefined ? {} : { labels: event.labels }),
      ...(event.priority === undefined ? {} : { priority: event.priority }),
    });
    const kind = parentEdgeKind(event.kind);
    const seen = new Set<string>();
    for (const p of event.parents ?? []) {
      const to = p.startsWith('$') ? (ids[Number(p.slice(1))] as string) : p;
      if (seen.has(to)) continue;
      seen.add(to);
      edges.push({ from: id, kind, to });
    }
  }
  return { puts, edges };
}
