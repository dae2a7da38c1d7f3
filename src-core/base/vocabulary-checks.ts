// Checks of input against the vocabulary (./vocabulary.ts), which imports nothing so every layer
// can load it: these need the error class and a constant set, so they live here.
import { lookupSet } from './lookup';
import { Llm386Error } from './errors';
import { BLOCK_KINDS, EDGE_KINDS, type BlockKind, type EdgeKind } from './vocabulary';

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
