import {
  Llm386Error,
  minIdAt,
  parseBlockId,
  parseSession,
  sha256Hex,
  type BlockId,
  type EdgeKind,
} from '../base/index';
import type { PutInput } from '../store/index';

/** What a reducer reads: one model call's output and the little context it needs. */
export interface ReduceInput {
  /** The trace record's call id; with an index it seeds every id the reducer mints. */
  readonly callId: string;
  /** The session the new blocks join. */
  readonly session: string;
  /** The call's time (ms): the time prefix of minted ids and the blocks' `createdAt`. */
  readonly now: number;
  /** The model's reply text, exactly as received. */
  readonly output: string;
  /** The turn's user message; `append-output` links the reply to it with a `parent` edge. */
  readonly userMessageId?: BlockId | undefined;
}

/** An edge a reduction adds; `from` and `to` are existing block ids or ids minted in the same reduction. */
export interface ReductionEdge {
  readonly from: string;
  readonly kind: EdgeKind;
  readonly to: string;
}

/** What a reducer returns: new blocks (each with an explicit, deterministic id) and edges, committed together. */
export interface Reduction {
  readonly puts: readonly PutInput[];
  readonly edges: readonly ReductionEdge[];
}

/**
 * Turns a model call's output into new state. Pure: no store access, no clock, no randomness, so
 * the same input always gives the same reduction (ids included). Throws `invalid-input` (and
 * returns nothing) when the output cannot be reduced.
 */
export type Reducer = (input: ReduceInput) => Reduction;

/** The reduction that changes nothing. */
export const EMPTY_REDUCTION: Reduction = Object.freeze({
  puts: Object.freeze([]),
  edges: Object.freeze([]),
});

/**
 * The id a reducer mints for its `index`-th block of call `callId`.
 *
 * 48 bits of `now` (ms, clamped to the id range) then the first 80 bits of
 * SHA-256(`${callId}:${index}`): the same as the `index`-th id of
 * `seededIdSource(callId, sha256Hex)` at `now`, so replaying a reduction mints the same ids.
 */
export function reducerId(callId: string, index: number, now: number): BlockId {
  if (typeof callId !== 'string' || callId === '')
    throw new Llm386Error('invalid-input', 'a reducer needs a non-empty call id to mint block ids');
  if (!Number.isSafeInteger(index) || index < 0)
    throw new Llm386Error(
      'invalid-input',
      `reducer id index ${index} must be a whole number from 0`,
    );
  if (!Number.isFinite(now) || now < 0)
    throw new Llm386Error('invalid-input', `reducer time ${now} is not a valid time in ms`);
  return parseBlockId(minIdAt(now).slice(0, 12) + sha256Hex(`${callId}:${index}`).slice(0, 20));
}

/**
 * Checks the fields every reducer relies on, or throws (`invalid-input`, `invalid-session`,
 * `invalid-id`): a bad call id, session, time or user message id is the caller's bug, not the model's.
 */
export function checkReduceInput(input: ReduceInput): void {
  if (typeof input.callId !== 'string' || input.callId === '')
    throw new Llm386Error('invalid-input', 'a reducer needs a non-empty call id');
  parseSession(input.session);
  if (!Number.isFinite(input.now) || input.now < 0)
    throw new Llm386Error('invalid-input', `reducer time ${input.now} is not a valid time in ms`);
  if (typeof input.output !== 'string')
    throw new Llm386Error('invalid-input', 'the model output must be a string');
  if (input.userMessageId !== undefined) parseBlockId(input.userMessageId);
}

/** The `source` recorded on blocks a reducer creates unless the output names one: the call that made them. */
export function callSource(callId: string): string {
  return `call:${callId}`;
}
