import { randomBytes } from 'node:crypto';
import { Llm386Error } from './errors';

/** A block id: 32 lowercase hex chars, 48 bits of Unix ms then 80 random bits, so ids sort by time. */
export type BlockId = string & { readonly __brand: 'BlockId' };

const ID_RE = /^[0-9a-f]{32}$/;
const MAX_MS = 2 ** 48 - 1;

/** True when `value` is a well-formed block id. */
export function isBlockId(value: unknown): value is BlockId {
  return typeof value === 'string' && ID_RE.test(value);
}

/** Checks and brands a block id, or throws `invalid-id` naming the bad value. */
export function parseBlockId(value: string): BlockId {
  if (!isBlockId(value)) {
    throw new Llm386Error(
      'invalid-id',
      `"${value.length > 40 ? `${value.slice(0, 40)}...` : value}" is not a block id: ids are 32 lowercase hex characters (see \`llm386 put\` output)`,
    );
  }
  return value;
}

/** The creation time (ms since epoch) encoded in an id. */
export function idTime(id: BlockId): number {
  return Number.parseInt(id.slice(0, 12), 16);
}

/** The smallest id that can be minted at `ms`: useful as a range bound for time filters. */
export function minIdAt(ms: number): BlockId {
  return (timeHex(ms) + '0'.repeat(20)) as BlockId;
}

/** The largest id that can be minted at `ms`. */
export function maxIdAt(ms: number): BlockId {
  return (timeHex(ms) + 'f'.repeat(20)) as BlockId;
}

function timeHex(ms: number): string {
  const clamped = Math.min(Math.max(Math.floor(ms), 0), MAX_MS);
  return clamped.toString(16).padStart(12, '0');
}

/** Mints block ids; injected so tests and reducers can be deterministic. */
export interface IdSource {
  next(nowMs: number): BlockId;
}

/**
 * The default id source: random low bits, strictly increasing within one process.
 *
 * Two ids minted in the same millisecond differ by incrementing the random part, so ids stay
 * ordered by creation even under bursts (the ULID monotonic rule).
 */
export function randomIdSource(random: (n: number) => Uint8Array = randomBytes): IdSource {
  let lastMs = -1;
  let lastLow = 0n;
  const LOW_MAX = (1n << 80n) - 1n;
  return {
    next(nowMs: number): BlockId {
      let ms = Math.min(Math.max(Math.floor(nowMs), 0), MAX_MS);
      let low: bigint;
      if (ms <= lastMs) {
        ms = lastMs;
        low = lastLow + 1n;
        if (low > LOW_MAX) {
          ms += 1;
          low = BigInt(`0x${Buffer.from(random(10)).toString('hex')}`) >> 1n;
        }
      } else {
        // Keep the top bit clear so bursts in one ms have room to increment.
        low = BigInt(`0x${Buffer.from(random(10)).toString('hex')}`) >> 1n;
      }
      lastMs = ms;
      lastLow = low;
      return (timeHex(ms) + low.toString(16).padStart(20, '0')) as BlockId;
    },
  };
}

/**
 * A deterministic id source: ids derived from a seed string and a counter (SHA-256 based low bits).
 * Used by reducers (ids from call id and index) and tests.
 */
export function seededIdSource(seed: string, hashHex: (s: string) => string): IdSource {
  let counter = 0;
  return {
    next(nowMs: number): BlockId {
      const low = hashHex(`${seed}:${counter++}`).slice(0, 20);
      return (timeHex(nowMs) + low) as BlockId;
    },
  };
}
