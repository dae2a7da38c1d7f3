// What `put` takes, checked and prepared before any write: the store's input rules in one place.
import {
  Llm386Error,
  encodeUtf8,
  parseBlockId,
  parseBlockKind,
  parsePriority,
  parseSession,
  sha256Hex,
  type BlockId,
  type BlockKind,
} from '../base/index';
import type { PutInput, ToolCall } from './block';

/** A put's input after checking: the body's bytes and hash, sorted labels, parsed ids. */
export interface Prepared {
  readonly session: string;
  readonly kind: BlockKind;
  readonly bytes: Uint8Array;
  readonly hash: string;
  readonly priority: number;
  readonly labels: readonly string[];
  readonly source: string | undefined;
  readonly toolCalls: readonly ToolCall[] | undefined;
  readonly toolCallId: string | undefined;
  readonly parents: readonly string[];
  readonly createdAt: number | undefined;
  readonly name: string | undefined;
  readonly idempotencyKey: string | undefined;
  readonly id: BlockId | undefined;
}

/** Checks a put's input and computes its bytes and hash; throws `invalid-input` / `empty-body` naming the field. */
export function prepare(input: PutInput): Prepared {
  const session = parseSession(input.session);
  const kind = parseBlockKind(input.kind);
  const priority = parsePriority(input.priority ?? 0);
  const bytes = typeof input.body === 'string' ? encodeUtf8(input.body) : input.body;
  if (bytes.byteLength === 0) {
    throw new Llm386Error(
      'empty-body',
      'the body is empty: a block needs at least one byte (check the file or stdin)',
    );
  }
  const parents = (input.parents ?? []).map((p) => parseBlockId(p));
  for (const call of input.toolCalls ?? []) {
    if (
      typeof call.id !== 'string' ||
      call.id === '' ||
      typeof call.name !== 'string' ||
      typeof call.arguments !== 'string'
    ) {
      throw new Llm386Error(
        'invalid-input',
        'a tool call needs a non-empty string id, a name and string arguments',
      );
    }
  }
  if (
    input.createdAt !== undefined &&
    (!Number.isFinite(input.createdAt) || input.createdAt < 0 || input.createdAt > 8.64e15)
  ) {
    throw new Llm386Error(
      'invalid-input',
      `createdAt ${input.createdAt} is not a valid time in ms`,
    );
  }
  if (
    input.idempotencyKey !== undefined &&
    (typeof input.idempotencyKey !== 'string' ||
      input.idempotencyKey.length === 0 ||
      input.idempotencyKey.length > 200)
  ) {
    throw new Llm386Error('invalid-input', 'an idempotency key must be 1-200 characters');
  }
  for (const label of input.labels ?? []) {
    if (typeof label !== 'string' || label.length === 0 || label.length > 200) {
      throw new Llm386Error(
        'invalid-input',
        `label ${JSON.stringify(typeof label === 'string' ? label.slice(0, 40) : label)}${typeof label === 'string' && label.length > 40 ? '...' : ''} must be 1-200 characters`,
      );
    }
  }
  if (
    input.name !== undefined &&
    (typeof input.name !== 'string' ||
      input.name.length === 0 ||
      input.name.length > 128 ||
      /[\u0000-\u001f\u007f-\u009f]/.test(input.name))
  ) {
    throw new Llm386Error(
      'invalid-input',
      `name ${JSON.stringify(input.name)} must be 1-128 characters without control characters`,
    );
  }
  return {
    session,
    kind,
    bytes,
    hash: sha256Hex(bytes),
    priority,
    labels: [...new Set(input.labels ?? [])].sort(),
    source: input.source,
    toolCalls:
      input.toolCalls === undefined || input.toolCalls.length === 0
        ? undefined
        : input.toolCalls.map((c) => ({ ...c })),
    toolCallId: input.toolCallId,
    parents,
    createdAt: input.createdAt,
    name: input.name,
    idempotencyKey: input.idempotencyKey,
    id: input.id === undefined ? undefined : parseBlockId(input.id),
  };
}
