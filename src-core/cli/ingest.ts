// `ingest`'s reading and writing: a stream of items from files, folders and JSONL transcripts,
// read twice (a validating pass that writes nothing, then the writing pass), so any input size
// ingests in bounded memory and a bad line anywhere means nothing is written.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { decodeUtf8, parseSession, type BlockKind } from '../base/index';
import type { Store } from '../store/index';
import { walkFiles, type WalkNotice } from './ingest-walk';
import { transcriptItems, type IngestItem, type SkippedMessage } from './transcript';

export type { IngestItem, SkippedMessage } from './transcript';

/** Options of {@link ingestItems}. */
export interface CollectOptions {
  readonly session: string;
  /** Kind for plain files; default `document-chunk`. */
  readonly kind: BlockKind;
  /** Maximum characters per document chunk; default 2000. */
  readonly chunkChars: number;
}

/** What the reading reports besides items. */
export interface IngestNotices {
  readonly skipped?: (s: SkippedMessage) => void;
  readonly walk?: (n: WalkNotice) => void;
}

/**
 * The items of files, folders (recursively, skipping dot-entries and node_modules, in sorted order)
 * and JSONL chat transcripts (`.jsonl`), one at a time. Each call reads the inputs afresh.
 */
export async function* ingestItems(
  paths: readonly string[],
  options: CollectOptions,
  notices: IngestNotices = {},
): AsyncGenerator<IngestItem> {
  parseSession(options.session);
  const skipped = notices.skipped ?? (() => undefined);
  for await (const file of walkFiles(paths, notices.walk)) {
    if (extname(file).toLowerCase() === '.jsonl')
      yield* transcriptItems(file, options.session, skipped);
    // One synchronous read per file: a folder of 200k small files reads in seconds instead of
    // a minute of promise and file-handle churn (and the garbage that left behind).
    else yield* chunkFile(readFileSync(file), file, options);
  }
}

function chunkFile(bytes: Buffer, file: string, options: CollectOptions): IngestItem[] {
  if (bytes.length === 0) return [];
  const text = decodeUtf8(bytes);
  if (text === undefined)
    return [
      {
        input: { session: options.session, kind: options.kind, body: bytes, source: file },
        callIds: [],
      },
    ];
  const chunks = chunkText(text, options.chunkChars);
  return chunks.map((chunk, i) => ({
    input: {
      session: options.session,
      kind: options.kind,
      body: chunk,
      source: chunks.length === 1 ? file : `${file}#${i + 1}/${chunks.length}`,
    },
    callIds: [],
  }));
}

/** Splits text at paragraph, then line, then hard boundaries into chunks of at most `max` characters. */
export function chunkText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim() !== '') chunks.push(current);
    current = '';
  };
  for (const para of text.split(/(?<=\n\n)/)) {
    if (current.length + para.length <= max) {
      current += para;
      continue;
    }
    flush();
    if (para.length <= max) {
      current = para;
      continue;
    }
    for (let i = 0; i < para.length; i += max) {
      current = para.slice(i, i + max);
      flush();
    }
  }
  flush();
  return chunks;
}

/**
 * Writes items in batches, one transaction each, linking each tool result to the assistant message
 * that called it with a `tool-invocation` edge. `onCommit` runs after each batch is durable: only
 * then is a block acknowledged.
 */
export async function writeItems(
  store: Store,
  items: AsyncIterable<IngestItem> | Iterable<IngestItem>,
  batchSize: number,
  onCommit: (committed: number) => void | Promise<void>,
): Promise<{ blocks: number; deduped: number }> {
  const callers = new Map<string, string>();
  let committed = 0;
  let deduped = 0;
  let batch: IngestItem[] = [];
  const flush = async () => {
    const current = batch;
    batch = [];
    store.transaction(() => {
      const results = store.putMany(current.map((item) => item.input));
      results.forEach((result, i) => {
        const item = current[i];
        if (item === undefined) return;
        if (result.deduped) deduped++;
        for (const callId of item.callIds) callers.set(callId, result.block.id);
        const caller =
          item.input.toolCallId === undefined ? undefined : callers.get(item.input.toolCallId);
        if (caller !== undefined) store.addEdge(caller, 'tool-invocation', result.block.id);
      });
    });
    committed += current.length;
    await onCommit(committed);
  };
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  return { blocks: committed, deduped };
}
