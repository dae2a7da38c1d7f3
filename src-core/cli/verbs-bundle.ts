// `llm386 trace export <call> --out FILE` and `llm386 trace import FILE --store NEWDIR`: one
// recorded turn as a self-contained bundle (src-core/tracer/bundle.ts), and a new store from one.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Llm386Error, parseBlockId } from '../base/index';
import { exportTurnBundle, importTurnBundle } from '../tracer/index';
import { json, storeDir, usage, withStore, type Io } from './context';

/** The largest bundle file `trace import` reads. */
export const MAX_BUNDLE_BYTES = 512 * 1024 * 1024;

interface BundleValues {
  readonly store?: string | undefined;
  readonly config?: string | undefined;
  readonly profiles?: string | undefined;
  readonly out?: string | undefined;
  readonly json?: boolean | undefined;
}

/** `trace export <call> --out FILE`: writes the bundle (`--out -` or no --out: stdout). */
export async function traceExport(
  values: BundleValues,
  callId: string | undefined,
  io: Io,
): Promise<void> {
  if (callId === undefined)
    throw usage('trace export: name a call id: `llm386 trace export <call> --out FILE`');
  parseBlockId(callId);
  const bundle = await withStore(values, io, (store) => exportTurnBundle(store, callId));
  const text = `${JSON.stringify(bundle)}\n`;
  if (values.out === undefined || values.out === '-') {
    io.out(text);
    return;
  }
  const out = resolve(values.out);
  try {
    writeFileSync(out, text);
  } catch (error) {
    throw new Llm386Error('io-error', `cannot write ${out}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const summary = {
    callId: bundle.callId,
    out,
    blocks: bundle.blocks.length,
    edges: bundle.edges.length,
    bytes: Buffer.byteLength(text),
  };
  if (values.json) io.out(json(summary));
  else
    io.err(
      `exported ${summary.callId}: ${summary.blocks} blocks, ${summary.edges} edges to ${out}\n`,
    );
}

/** `trace import FILE --store NEWDIR`: creates a new store from a bundle. */
export function traceImport(values: BundleValues, file: string | undefined, io: Io): void {
  if (file === undefined)
    throw usage('trace import: name a bundle file: `llm386 trace import FILE --store NEWDIR`');
  if (values.store === undefined && io.env.LLM386_STORE === undefined)
    throw usage('trace import: --store NEWDIR is required (a new folder for the imported store)');
  const path = resolve(file);
  if (!existsSync(path))
    throw new Llm386Error(
      'io-error',
      `no bundle at ${path}: export one with \`llm386 trace export <call> --out FILE\``,
    );
  const size = statSync(path).size;
  if (size > MAX_BUNDLE_BYTES)
    throw new Llm386Error(
      'bundle-invalid',
      `${path} is ${size} bytes, more than a bundle may be (${MAX_BUNDLE_BYTES})`,
    );
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Llm386Error(
      'bundle-invalid',
      `${path} is not JSON (${(error as Error).message.split('\n')[0] ?? ''}): export a bundle with \`llm386 trace export\``,
    );
  }
  const made = importTurnBundle(resolve(storeDir(values, io.env)), data);
  if (values.json) io.out(json(made));
  else io.out(`${made.dir}\n`);
  io.err(
    `imported ${made.callId}: ${made.blocks} blocks, ${made.edges} edges; replay it with \`llm386 trace replay ${made.callId} --store ${made.dir}\`\n`,
  );
}
