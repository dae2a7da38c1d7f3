import type { BlockId, BlockKind } from '../base/index';

/** A tool call made by an assistant message. */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** The arguments as the model sent them (usually a JSON string). */
  readonly arguments: string;
}

/** A block's metadata as stored; the body bytes live separately, once per hash. */
export interface BlockRecord {
  readonly id: BlockId;
  readonly kind: BlockKind;
  /** SHA-256 of the body bytes, lowercase hex. */
  readonly hash: string;
  /** Body length in bytes. */
  readonly size: number;
  readonly priority: number;
  readonly createdAt: number;
  /** Sessions holding this block, sorted. */
  readonly sessions: readonly string[];
  readonly labels: readonly string[];
  readonly source?: string | undefined;
  readonly toolCalls?: readonly ToolCall[] | undefined;
  readonly toolCallId?: string | undefined;
  /** Who said it (a message's speaker, as OpenAI's message `name`). */
  readonly name?: string | undefined;
  /**
   * The write that created the block: the store's change-log sequence number, the watermark
   * replay compares against (0 for blocks of a store migrated from format 1).
   */
  readonly seq?: number | undefined;
  /** On records listed by session: the write that added the block to that session. */
  readonly joined?: number | undefined;
  /**
   * The rendered line's shape (`STARTS_SLASH | ENDS_JOINABLE`, see `line-shape.ts`), computed when
   * the block was written; absent on blocks written before records kept it.
   */
  readonly shape?: number | undefined;
}

/** A block with its body. */
export interface Block extends BlockRecord {
  readonly body: Uint8Array;
}

/** What `put` takes. */
export interface PutInput {
  readonly session: string;
  readonly kind: BlockKind | string;
  readonly body: Uint8Array | string;
  /** In [0, 1]; default 0. */
  readonly priority?: number | undefined;
  readonly source?: string | undefined;
  readonly labels?: readonly string[] | undefined;
  readonly toolCalls?: readonly ToolCall[] | undefined;
  readonly toolCallId?: string | undefined;
  /** Records a `parent` edge from the new block to each of these. */
  readonly parents?: readonly string[] | undefined;
  /**
   * When the block happened (a transcript's own time); default: the store's clock. A time more
   * than an hour before the write sets the block's time only: its id, and so the store's write
   * order that replay relies on, is the time of writing.
   */
  readonly createdAt?: number | undefined;
  /** Who said it (1-128 characters, no control characters); shown beside the role. */
  readonly name?: string | undefined;
  /**
   * A key the client chose for this write (1-200 characters), remembered in the store: a put
   * retried with the same key (after a timeout, a crash, a failure reported after the commit)
   * returns the first put's result and writes nothing.
   */
  readonly idempotencyKey?: string | undefined;
  /** An explicit id (reducers mint deterministic ones); must not exist yet. Default: the store's id source. */
  readonly id?: string | undefined;
}

/** What `put` returns: the block, and whether an existing knowledge block was reused. */
export interface PutResult {
  readonly block: BlockRecord;
  readonly deduped: boolean;
}

/** Filters of `list`. */
export interface ListOptions {
  readonly kinds?: readonly BlockKind[] | undefined;
  /** Only blocks written at or after this time (ms; an id's time is when it was written). */
  readonly since?: number | undefined;
  /** Only blocks written at or before this time (ms). */
  readonly until?: number | undefined;
  readonly limit?: number | undefined;
  /** Newest first when true. */
  readonly reverse?: boolean | undefined;
}

/** A directed, typed edge. */
export interface Edge {
  readonly from: BlockId;
  readonly kind: import('../base/index').EdgeKind;
  readonly to: BlockId;
}

/** One finding of `verify`. */
export interface Problem {
  readonly kind:
    | 'hash-mismatch'
    | 'missing-body'
    | 'orphan-body'
    | 'missing-index'
    | 'stale-index'
    | 'edge-asymmetric'
    | 'dangling-edge'
    | 'session-count'
    | 'orphan-token-count';
  readonly message: string;
  readonly id?: string | undefined;
}

/** The text form of a body: UTF-8 text, or a placeholder for binary that is never rendered raw. */
export function bodyText(
  body: Uint8Array,
  hash: string,
  decode: (b: Uint8Array) => string | undefined,
): string {
  return decode(body) ?? `[binary body: ${body.length} bytes, sha256 ${hash.slice(0, 16)}]`;
}

/**
 * The form in which a block is rendered into a prompt and counted: its text trimmed, plus one
 * newline. Every rendered segment starts with a non-space character and ends with a newline, so
 * a prompt's token count is the sum of its segments' counts with one exception: o200k_base joins
 * a line starting with `/` to a preceding punctuation mark and newline (`.\n/`), which the
 * packer's `SegmentSum` counts as one text (see `line-shape.ts`, kept per block at write time).
 */
export function blockLine(text: string): string {
  const trimmed = text.trim();
  return trimmed === '' ? '(whitespace only)\n' : `${trimmed}\n`;
}
