import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, type PutInput } from '../src-core/index';
import { getTokenizer } from '../src-core/tokenizer/index';
import { rng, text, vocabulary } from './corpus';
import { quantile, type Row } from './table';

/** Store benchmarks of issue 2: ingest, get, list, open at 100k blocks. */
export function storeBench(n = 100_000): Row[] {
  const dir = mkdtempSync(join(tmpdir(), 'llm386-bench-'));
  const random = rng(42);
  const words = vocabulary(8000, random);
  const inputs: PutInput[] = [];
  for (let i = 0; i < n; i++) {
    inputs.push({
      session: 'bench',
      kind: i % 2 === 0 ? 'user-message' : 'assistant-message',
      body: text(words, 200, random),
    });
  }
  getTokenizer('o200k_base'); // load the encoder outside the timed part (a one-off ~1 s per process)
  const rows: Row[] = [];
  try {
    let store = Store.init(dir, { countTokensWith: ['o200k_base'] });
    const t0 = performance.now();
    for (let i = 0; i < n; i += 2000) store.putMany(inputs.slice(i, i + 2000));
    const secs = (performance.now() - t0) / 1000;
    const rate = n / secs;
    rows.push({
      bench: `ingest ${n} chat messages (~200 chars, o200k counts)`,
      value: `${Math.round(rate)} blocks/s`,
      target: '>= 10000 blocks/s',
      ok: rate >= 10_000,
    });

    const ids = store.listIds('bench');
    const r = rng(7);
    const samples: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const id = ids[Math.floor(r() * ids.length)] as string;
      const s = process.hrtime.bigint();
      store.get(id);
      samples.push(Number(process.hrtime.bigint() - s) / 1000);
    }
    const med = quantile(samples, 0.5);
    rows.push({
      bench: 'get by id (record + body), median',
      value: `${med.toFixed(2)} µs (p99 ${quantile(samples, 0.99).toFixed(1)} µs)`,
      target: '< 10 µs',
      ok: med < 10,
    });

    const listTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      const all = store.list('bench');
      listTimes.push(performance.now() - s);
      if (all.length !== n) throw new Error(`list returned ${all.length}`);
    }
    const listMed = quantile(listTimes, 0.5);
    rows.push({
      bench: `list a ${n}-block session (records)`,
      value: `${listMed.toFixed(1)} ms`,
      target: '< 200 ms',
      ok: listMed < 200,
    });
    store.close();

    const openTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      store = Store.open(dir);
      store.get(ids[0] as string);
      openTimes.push(performance.now() - s);
      store.close();
    }
    const openMed = quantile(openTimes, 0.5);
    rows.push({
      bench: `open a ${n}-block store (+ first get)`,
      value: `${openMed.toFixed(1)} ms`,
      target: '< 100 ms',
      ok: openMed < 100,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
