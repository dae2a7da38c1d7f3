import type { TiktokenBPE } from 'js-tiktoken/lite';
import { Llm386Error } from '../base/index';

/** The tokenizers the runtime can count with. */
export const TOKENIZER_IDS = ['cl100k_base', 'o200k_base'] as const;
/** A tokenizer id, e.g. `o200k_base` (GPT-4o and later) or `cl100k_base` (GPT-4, GPT-3.5). */
export type TokenizerId = (typeof TOKENIZER_IDS)[number];

/** Version string recorded in traces: the counting library and its ranks. */
export const TOKENIZER_VERSION = 'js-tiktoken@1.0.21';

/** Counts tokens of text exactly as the encoding would encode it, special-token text included as plain text. */
export interface Tokenizer {
  readonly id: TokenizerId;
  count(text: string): number;
  encode(text: string): number[];
}

/** True when `value` names a known tokenizer. */
export function isTokenizerId(value: unknown): value is TokenizerId {
  return typeof value === 'string' && (TOKENIZER_IDS as readonly string[]).includes(value);
}

const loaded = new Map<TokenizerId, BpeTokenizer>();

/**
 * The one shared tokenizer for an encoding. Its rank table fills on first count (0.3-0.6 s and
 * about 40 MB for o200k_base), or ahead of time and without blocking through
 * {@link warmTokenizer}; never more than once per process.
 */
export function getTokenizer(id: string): Tokenizer {
  if (!isTokenizerId(id)) {
    throw new Llm386Error(
      'unknown-tokenizer',
      `unknown tokenizer "${id}": use one of ${TOKENIZER_IDS.join(', ')}`,
    );
  }
  let tokenizer = loaded.get(id);
  if (tokenizer === undefined) {
    tokenizer = new BpeTokenizer(id, loadRanks(id));
    loaded.set(id, tokenizer);
  }
  return tokenizer;
}

/**
 * Fills a tokenizer's rank table in slices of at most `sliceMs`, yielding to the event loop
 * between them, so a server keeps answering while it loads. A count asked for meanwhile finishes
 * the table at once. Resolves when the table is complete.
 */
export async function warmTokenizer(id: TokenizerId, sliceMs = 15): Promise<void> {
  const tokenizer = getTokenizer(id) as BpeTokenizer;
  while (!tokenizer.table.fill(performance.now() + sliceMs)) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function loadRanks(id: TokenizerId): TiktokenBPE {
  // Static requires so bundlers see them; each rank file is only parsed when asked for.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const mod: { default?: TiktokenBPE } & TiktokenBPE =
    id === 'cl100k_base'
      ? require('js-tiktoken/ranks/cl100k_base')
      : require('js-tiktoken/ranks/o200k_base');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return mod.default ?? mod;
}

/**
 * The byte-sequence -> rank map of an encoding, keyed as js-tiktoken keys it (the bytes joined by
 * commas). js-tiktoken's own constructor builds it in one go together with a rank -> bytes map
 * for decoding, which counting never needs: 0.9 s of one thread and about 100 MB for o200k_base.
 * This fills only the first, in slices.
 */
class RankTable {
  readonly ranks = new Map<string, number>();
  private readonly runs: { readonly offset: number; readonly tokens: readonly string[] }[] = [];
  private run = 0;
  private next = 0;

  constructor(bpe: TiktokenBPE) {
    // Each line: a label, the rank of its first token, then base64 tokens of consecutive ranks.
    for (const line of bpe.bpe_ranks.split('\n')) {
      if (line === '') continue;
      const [, offset, ...tokens] = line.split(' ');
      this.runs.push({ offset: Number.parseInt(offset ?? '0', 10), tokens });
    }
  }

  get complete(): boolean {
    return this.run >= this.runs.length;
  }

  /** Adds ranks until `deadline` (a `performance.now()` time; default none). True when complete. */
  fill(deadline = Number.POSITIVE_INFINITY): boolean {
    while (this.run < this.runs.length) {
      const { offset, tokens } = this.runs[this.run] as (typeof this.runs)[number];
      const stop = Math.min(tokens.length, this.next + 4096);
      for (let i = this.next; i < stop; i++) {
        this.ranks.set(Buffer.from(tokens[i] as string, 'base64').join(','), offset + i);
      }
      this.next = stop;
      if (stop === tokens.length) {
        this.run++;
        this.next = 0;
      }
      if (performance.now() >= deadline) return this.complete;
    }
    return true;
  }
}

const PIECE_CACHE_LIMIT = 200_000;

/**
 * Byte-pair encoding exactly as js-tiktoken's `encode(text, [], [])` (special-token text is plain
 * text), over a {@link RankTable}. Splits text with the encoding's own pre-tokeniser pattern and
 * counts each piece once, caching the piece's token count: BPE never merges across pieces, so the
 * sum of the pieces' counts equals the length of the full encoding, and natural text repeats its
 * pieces. Parity with js-tiktoken is a property test.
 */
class BpeTokenizer implements Tokenizer {
  readonly id: TokenizerId;
  readonly table: RankTable;
  private readonly pattern: RegExp;
  private readonly utf8 = new TextEncoder();
  private readonly pieceCounts = new Map<string, number>();

  constructor(id: TokenizerId, bpe: TiktokenBPE) {
    this.id = id;
    this.table = new RankTable(bpe);
    this.pattern = new RegExp(bpe.pat_str, 'gu');
  }

  count(text: string): number {
    if (!this.table.complete) this.table.fill();
    let total = 0;
    const cache = this.pieceCounts;
    this.pattern.lastIndex = 0;
    for (const match of text.matchAll(this.pattern)) {
      const piece = match[0];
      let n = cache.get(piece);
      if (n === undefined) {
        n = this.encodePiece(piece).length;
        if (cache.size >= PIECE_CACHE_LIMIT) cache.clear();
        cache.set(piece, n);
      }
      total += n;
    }
    return total;
  }

  encode(text: string): number[] {
    if (!this.table.complete) this.table.fill();
    const out: number[] = [];
    this.pattern.lastIndex = 0;
    for (const match of text.matchAll(this.pattern)) out.push(...this.encodePiece(match[0]));
    return out;
  }

  private encodePiece(piece: string): number[] {
    const ranks = this.table.ranks;
    const bytes = this.utf8.encode(piece);
    const whole = ranks.get(bytes.join(','));
    if (whole !== undefined) return [whole];
    return bytePairMerge(bytes, ranks)
      .map((part) => ranks.get(bytes.slice(part.start, part.end).join(',')))
      .filter((rank): rank is number => rank !== undefined);
  }
}

/** js-tiktoken's merge loop: repeatedly joins the adjacent pair of lowest rank. */
function bytePairMerge(
  piece: Uint8Array,
  ranks: ReadonlyMap<string, number>,
): { start: number; end: number }[] {
  const parts = Array.from({ length: piece.length }, (_, i) => ({ start: i, end: i + 1 }));
  while (parts.length > 1) {
    let minRank = -1;
    let at = -1;
    for (let i = 0; i < parts.length - 1; i++) {
      const rank = ranks.get(
        piece
          .slice((parts[i] as { start: number }).start, (parts[i + 1] as { end: number }).end)
          .join(','),
      );
      if (rank === undefined) continue;
      if (at === -1 || rank < minRank) {
        minRank = rank;
        at = i;
      }
    }
    if (at === -1) break;
    parts[at] = {
      start: (parts[at] as { start: number }).start,
      end: (parts[at + 1] as { end: number }).end,
    };
    parts.splice(at + 1, 1);
  }
  return parts;
}
