// `npm run bench:ingest`: peak memory of `llm386 ingest` on one transcript of 50k and of 200k
// messages (default config: bm25 and ann indexes, o200k counts), and of one folder of files.
// Samples the CLI process's /proc/PID/smaps_rollup every 20 ms: peak resident memory, and peak
// private (anonymous) memory without the store's mapped file pages (which the kernel may drop).
import { execFileSync, spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  createWriteStream,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { printTable, type Row } from './table';

const BIN = resolve(__dirname, '..', 'bin', 'llm386.cjs');
const TOPICS = ['trains', 'lisbon', 'weather', 'music', 'cooking', 'running', 'invoices', 'python'];

function message(i: number): string {
  return `Message ${i}: let us talk about ${TOPICS[i % 8]} and ${TOPICS[(i * 7) % 8]} with the number ${i * 13} and a few more words, as in a chat.`;
}

async function transcript(file: string, n: number): Promise<void> {
  const out = createWriteStream(file);
  let chunk = '';
  for (let i = 0; i < n; i++) {
    chunk += `${JSON.stringify({ role: i % 2 === 0 ? 'user' : 'assistant', content: message(i) })}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
  }
  await new Promise<void>((r) => out.end(chunk, () => r()));
}

function folder(dir: string, n: number): void {
  mkdirSync(dir);
  for (let i = 0; i < n; i++)
    writeFileSync(join(dir, `note-${String(i).padStart(7, '0')}.txt`), message(i));
}

function rollup(pid: number): { rss: number; anon: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { rss: kb('Rss') / 1024, anon: kb('Anonymous') / 1024 };
  } catch {
    return undefined;
  }
}

async function ingest(
  store: string,
  input: string,
): Promise<{ seconds: number; rss: number; anon: number }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [BIN, 'ingest', '--store', store, '--session', 'chat', input],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  let rss = 0;
  let anon = 0;
  const timer = setInterval(() => {
    const m = child.pid === undefined ? undefined : rollup(child.pid);
    if (m !== undefined) {
      rss = Math.max(rss, m.rss);
      anon = Math.max(anon, m.anon);
    }
  }, 20);
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  clearInterval(timer);
  if (code !== 0) throw new Error(`ingest exited ${code}: ${stderr}`);
  return { seconds: (performance.now() - started) / 1000, rss, anon };
}

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_INGEST_SIZES ?? '50000,200000').split(',').map(Number);
  const work = mkdtempSync(join(tmpdir(), 'llm386-ingest-bench-'));
  try {
    const rows: Row[] = [];
    const base: Record<string, { rss: number; anon: number }> = {};
    for (const shape of ['transcript', 'folder'] as const) {
      for (const n of sizes) {
        const input = join(work, `${shape}-${n}${shape === 'transcript' ? '.jsonl' : ''}`);
        if (shape === 'transcript') await transcript(input, n);
        else folder(input, n);
        const store = join(work, `store-${shape}-${n}`);
        execFileSync(process.execPath, [BIN, 'init', store], { stdio: 'ignore' });
        const r = await ingest(store, input);
        base[shape] ??= r;
        const first = base[shape];
        const ratio = r.anon / first.anon;
        rows.push({
          bench: `${shape} of ${n.toLocaleString('en')}`,
          value: `${r.seconds.toFixed(1)} s (${Math.round(n / r.seconds)}/s); peak private ${Math.round(r.anon)} MB (${ratio.toFixed(2)}x), RSS ${Math.round(r.rss)} MB (${(r.rss / first.rss).toFixed(2)}x)`,
          target: first === r ? 'baseline' : 'private <= 1.2x smallest',
          ok: first === r ? undefined : ratio <= 1.2,
        });
        rmSync(store, { recursive: true, force: true });
        rmSync(input, { recursive: true, force: true });
      }
    }
    printTable('ingest memory (default config, o200k counts)', rows);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
