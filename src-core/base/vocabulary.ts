import { lookupSet } from './lookup';
import { Llm386Error } from './errors';

/** Block kinds, named as in the original LLM386. */
export const BLOCK_KINDS = [
  'system',
  'user-message',
  'assistant-message',
  'tool-result',
  'summary',
  'fact',
  'document-chunk',
  'plan',
  'state',
  'trace',
] as const;
/** What a block is; decides its section and whether it is deduplicated. */
export type BlockKind = (typeof BLOCK_KINDS)[number];

/** Knowledge kinds: a `put` of an existing (kind, body) returns the existing block. */
export const KNOWLEDGE_KINDS: ReadonlySet<BlockKind> = lookupSet<BlockKind>([
  'system',
  'fact',
  'document-chunk',
  'summary',
  'plan',
  'state',
]);

/** Event kinds always create a new block (two "ok" replies are two events), sharing stored bytes. */
export function isKnowledgeKind(kind: BlockKind): boolean {
  return KNOWLEDGE_KINDS.has(kind);
}

/** The prompt sections, in rendering order. */
export const SECTIONS = [
  'system',
  'task',
  'state',
  'plan',
  'retrieved',
  'tools',
  'recent',
  'background',
] as const;
/** A prompt section. */
export type Section = (typeof SECTIONS)[number];

/** The section each kind is placed in. Task holds the call's task text, never a block. */
export const KIND_SECTION: Readonly<Record<BlockKind, Section>> = {
  system: 'system',
  state: 'state',
  plan: 'plan',
  fact: 'retrieved',
  summary: 'retrieved',
  'tool-result': 'tools',
  'user-message': 'recent',
  'assistant-message': 'recent',
  'document-chunk': 'background',
  trace: 'background',
};

/** Typed, directed edge kinds. */
export const EDGE_KINDS = [
  'parent',
  'derived-from',
  'supports',
  'contradicts',
  'tool-invocation',
] as const;
/** The kind of an edge. */
export type EdgeKind = (typeof EDGE_KINDS)[number];

/** Checks a block kind, or throws `invalid-kind` listing the valid ones. */
export function parseBlockKind(value: string): BlockKind {
  if (!(BLOCK_KINDS as readonly string[]).includes(value)) {
    throw new Llm386Error(
      'invalid-kind',
      `unknown kind "${value}": use one of ${BLOCK_KINDS.join(', ')}`,
    );
  }
  return value as BlockKind;
}

/** Checks an edge kind, or throws `invalid-edge-kind` listing the valid ones. */
export function parseEdgeKind(value: string): EdgeKind {
  if (!(EDGE_KINDS as readonly string[]).includes(value)) {
    throw new Llm386Error(
      'invalid-edge-kind',
      `unknown edge kind "${value}": use one of ${EDGE_KINDS.join(', ')}`,
    );
  }
  return value as EdgeKind;
}

const SESSION_RE = /^[A-Za-z0-9._:@-]{1,128}$/;

/** A session name: 1-128 chars of `[A-Za-z0-9._:@-]`. */
export type SessionName = string & { readonly __brand: 'SessionName' };

/** Checks a session name, or throws `invalid-session`. */
export function parseSession(value: string): SessionName {
  if (!SESSION_RE.test(value)) {
    throw new Llm386Error(
      'invalid-session',
      `invalid session "${value.slice(0, 140)}": use 1-128 characters of letters, digits and . _ : @ -`,
    );
  }
  return value as SessionName;
}

/** Checks a priority in [0, 1], or throws `invalid-priority`. */
export function parsePriority(value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new Llm386Error(
      'invalid-priority',
      `priority ${String(value)} is out of range: use a number from 0 to 1`,
    );
  }
  return value;
}
