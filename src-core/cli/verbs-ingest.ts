import { parseBlockKind } from '../base/index';
import { isTokenizerId, type TokenizerId } from '../tokenizer/index';
import { indexesFor } from '../retrievers/index';
import { json, loadConfig, parseVerbArgs, usage, withStore } from './context';
import { ingestItems, writeItems, type SkippedMessage } from './ingest';
import type { WalkNotice } from './ingest-walk';
import { Progress } from './progress';
import type { Verb } from './verb';

export const ingestVerb: Verb = {
  name: 'ingest',
  summary: 'bulk-load files, folders and JSONL chat transcripts into a session',
  usage:
    'llm386 ingest --session S PATH... [--kind document-chunk] [--chunk-chars 2000] [--batch 2000] [--tokenizer o200k_base|cl100k_base|none] [--json]',
  async run(args, io) {
    const { values, positionals } = parseVerbArgs(
      'ingest',
      args,
      {
        session: { type: 'string' },
        kind: { type: 'string', default: 'document-chunk' },
        'chunk-chars': { type: 'string', default: '2000' },
        batch: { type: 'string', default: '2000' },
        tokenizer: { type: 'string', default: 'o200k_base' },
      },
      Number.POSITIVE_INFINITY,
    );
    if (values.session === undefined) throw usage('ingest: --session is required');
    if (positionals.length === 0) throw usage('ingest: name at least one file or folder');
    const chunkChars = positiveInt(values['chunk-chars'], '--chunk-chars');
    const batch = positiveInt(values.batch, '--batch');
    const tokenizers: TokenizerId[] = [];
    if (values.tokenizer !== 'none') {
      if (!isTokenizerId(values.tokenizer))
        throw usage(
          `ingest: unknown --tokenizer ${values.tokenizer}: use o200k_base, cl100k_base or none`,
        );
      tokenizers.push(values.tokenizer);
    }
    const options = { session: values.session, kind: parseBlockKind(values.kind), chunkChars };
    const config = loadConfig(values, io.env);
    // First pass: read and check everything, writing nothing, so a bad line anywhere leaves the
    // store untouched; the second pass reads the inputs again and writes them in batches.
    let skipped = 0;
    // Per reason: how many, and the first place.
    const skips = new Map<string, { n: number; first: SkippedMessage }>();
    const loops: WalkNotice[] = [];
    const notices = {
      skipped: (s: SkippedMessage) => {
        skipped++;
        const known = skips.get(s.why);
        if (known === undefined) skips.set(s.why, { n: 1, first: s });
        else known.n++;
      },
      walk: (n: WalkNotice) => loops.push(n),
    };
    let total = 0;
    for await (const item of ingestItems(positionals, options, notices)) {
      void item;
      total++;
    }
    for (const loop of loops)
      io.err(`ingest: skipped ${loop.path}: a symlink back into a folder being read (a loop)\n`);
    for (const [why, { n, first }] of skips) {
      const reason = why === 'no content' ? 'with no content and no tool calls' : `(${why})`;
      io.err(`ingest: skipped ${n} message(s) ${reason}, the first at ${first.where}\n`);
    }
    const result = await withStore(
      values,
      io,
      async (store) => {
        const progress = new Progress('ingest', total, io.err, io.stderrIsTty);
        // Retriever indexes are maintained at write time: caught up after each batch, saved at the
        // end. Flushing saves each segment as it fills and drops it: memory stays bounded.
        const indexes = indexesFor(store, config.retrievers);
        const written = await writeItems(
          store,
          ingestItems(positionals, options),
          batch,
          async (n) => {
            await indexes.flush();
            progress.update(n);
          },
        );
        await indexes.save();
        return written;
      },
      { countTokensWith: tokenizers },
    );
    if (values.json)
      io.out(
        json({ session: values.session, blocks: result.blocks, deduped: result.deduped, skipped }),
      );
    else
      io.out(
        `ingested ${result.blocks} blocks into ${values.session} (${result.deduped} deduplicated)\n`,
      );
  },
};

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw usage(`ingest: ${flag} needs a positive integer, got "${value}"`);
  return n;
}
