// What salvage recognises in raw entries: the store's key shapes (ordered-binary strings and
// arrays of strings), block records, and change-log entries. Decoded values come from pages
// that may hold garbage, so every field is checked before it is trusted.
import { BLOCK_KINDS, EDGE_KINDS, isBlockId, parseSession, type BlockId } from '../base/index';
import type { BlockRecord, ToolCall } from './block';

/** A body's key: the lowercase hex SHA-256 of its bytes. */
export const HASH_RE = /^[0-9a-f]{64}$/;
/** The edge kinds, to recognise edge keys. */
export const EDGE_KIND_SET: ReadonlySet<string> = new Set(EDGE_KINDS);
/** The block kinds, to recognise session-kind keys and check records. */
export const BLOCK_KIND_SET: ReadonlySet<string> = new Set(BLOCK_KINDS);
/** The key lmdb-js keeps a table's shared msgpack structures under: the symbol `structures`. */
export const STRUCTURES_KEY = Buffer.from('\u0002structures', 'latin1');

/**
 * The parts of a key made of plain ASCII strings, or undefined. lmdb-js writes a string key as
 * its bytes (escaped only when it starts with a byte below 28 or holds one up to 4, which no id,
 * hash, session or kind does) and an array key as its parts joined by a 0 byte.
 */
export function keyParts(key: Buffer): string[] | undefined {
  if (key.length === 0 || key.length > 511) return undefined;
  for (const byte of key) if (byte !== 0 && (byte < 0x21 || byte > 0x7e)) return undefined;
  return key.toString('latin1').split('\u0000');
}

/** Whether `value` is a valid session name. */
export function isSession(value: string): boolean {
  try {
    parseSession(value);
    return true;
  } catch {
    return false;
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

function isToolCall(c: unknown): c is ToolCall {
  const call = c as Partial<ToolCall> | null;
  return (
    typeof call === 'object' &&
    call !== null &&
    isString(call.id) &&
    isString(call.name) &&
    isString(call.arguments)
  );
}

/** A decoded value as the record of block `id`, or undefined when a field is missing or of the wrong type. */
export function toRecord(
  value: unknown,
  id: BlockId,
  members?: ReadonlySet<string>,
): BlockRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (
    v.id !== id ||
    !isString(v.kind) ||
    !BLOCK_KIND_SET.has(v.kind) ||
    !isString(v.hash) ||
    !HASH_RE.test(v.hash)
  )
    return undefined;
  if (!isNumber(v.size) || !isNumber(v.priority) || !isNumber(v.createdAt)) return undefined;
  // Format 1 records list their sessions; format 2 keeps them as membership rows (`members`).
  if (
    v.sessions !== undefined &&
    (!Array.isArray(v.sessions) || !v.sessions.every((s) => isString(s) && isSession(s)))
  )
    return undefined;
  const sessions = [
    ...new Set([...((v.sessions as string[] | undefined) ?? []), ...(members ?? [])]),
  ].sort();
  if (!Array.isArray(v.labels) || !v.labels.every(isString)) return undefined;
  for (const field of ['source', 'toolCallId', 'name'] as const)
    if (v[field] !== undefined && !isString(v[field])) return undefined;
  const calls = v.toolCalls;
  if (calls !== undefined && (!Array.isArray(calls) || !calls.every((c: unknown) => isToolCall(c))))
    return undefined;
  return {
    id,
    kind: v.kind as BlockRecord['kind'],
    hash: v.hash,
    size: v.size,
    priority: v.priority,
    createdAt: v.createdAt,
    sessions,
    labels: v.labels as string[],
    ...(v.source === undefined ? {} : { source: v.source as string }),
    ...(calls === undefined
      ? {}
      : {
          toolCalls: (calls as ToolCall[]).map((c) => ({
            id: c.id,
            name: c.name,
            arguments: c.arguments,
          })),
        }),
    ...(v.toolCallId === undefined ? {} : { toolCallId: v.toolCallId as string }),
    ...(v.name === undefined ? {} : { name: v.name as string }),
    ...(typeof v.shape === 'number' && Number.isInteger(v.shape) && v.shape >= 0 && v.shape <= 3
      ? { shape: v.shape }
      : {}),
  };
}

/** What the change log says, read from every copy of its entries found. */
export interface ChangeLogFacts {
  /** Blocks the log says were added. */
  readonly added: ReadonlySet<BlockId>;
  /** Blocks the log says were deleted: ids are never reused, so these are gone for good. */
  readonly deleted: ReadonlySet<BlockId>;
  /** Edges the log says were added, as 'from|kind|to'. */
  readonly edges: ReadonlySet<string>;
  /** Per block, each session the log last added it to (true) or removed it from (false). */
  readonly sessions: ReadonlyMap<BlockId, ReadonlyMap<string, boolean>>;
}

/** Reads decoded change-log values (see Store.logChange), oldest first; anything else is ignored. */
export function changeLogFacts(values: readonly unknown[]): ChangeLogFacts {
  const added = new Set<BlockId>();
  const deleted = new Set<BlockId>();
  const edges = new Set<string>();
  const sessions = new Map<BlockId, Map<string, boolean>>();
  for (const value of values) {
    const c = value as
      | { op?: unknown; id?: unknown; to?: unknown; kind?: unknown; session?: unknown }
      | null
      | undefined;
    if (typeof c !== 'object' || c === null || !isBlockId(c.id)) continue;
    if ((c.op === 'add' || c.op === 'remove') && isString(c.session) && isSession(c.session)) {
      if (c.op === 'add') added.add(c.id);
      const of = sessions.get(c.id) ?? new Map<string, boolean>();
      of.set(c.session, c.op === 'add');
      sessions.set(c.id, of);
    } else if (c.op === 'delete') deleted.add(c.id);
    else if (c.op === 'edge' && isBlockId(c.to) && isString(c.kind) && EDGE_KIND_SET.has(c.kind))
      edges.add(`${c.id}|${c.kind}|${c.to}`);
  }
  return { added, deleted, edges, sessions };
}

/**
 * A record's sessions brought up to date with the log: a stale copy of a record (the only one
 * left) may predate a session added to or removed from the block since.
 */
export function withLoggedSessions(
  record: BlockRecord,
  logged: ReadonlyMap<string, boolean> | undefined,
): BlockRecord {
  if (logged === undefined) return record;
  const sessions = new Set(record.sessions);
  for (const [session, member] of logged) {
    if (member) sessions.add(session);
    else sessions.delete(session);
  }
  const sorted = [...sessions].sort();
  if (sorted.join('\u0000') === record.sessions.join('\u0000')) return record;
  return { ...record, sessions: sorted };
}
