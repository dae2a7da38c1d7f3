// `salvage`: copies what still reads and checks out of a damaged store into a new one (SQLite's
// `.recover` is the model). The damaged file is only read, with plain file reads (salvage.ts);
// the new store is written through the Store API, so it holds nothing a put would refuse.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  isKnowledgeKind,
  isLlm386Error,
  Llm386Error,
  sha256Hex,
  type BlockId,
} from '../base/index';
import type { PutInput } from './block';
import { PageFile } from './lmdb-pages';
import { scanStore, type SalvageScan } from './salvage';
import { ValueDecoder } from './salvage-decode';
import { Store, STORE_FILE } from './store';

/** What {@link salvageStore} recovered and lost. */
export interface SalvageReport {
  readonly from: string;
  readonly to: string;
  readonly recovered: {
    readonly blocks: number;
    /** Distinct bodies written. */
    readonly bodies: number;
    readonly edges: number;
    readonly sessions: number;
  };
  /** Ids of blocks the damaged store names but whose record or body could not be recovered, sorted. */
  readonly lost: readonly BlockId[];
  /** Edges seen but not written (an end lost, direction unknown, or refused by the store). */
  readonly edgesLost: number;
  readonly pages: SalvageScan['pages'];
}

const PUT_BATCH = 500;

/**
 * Copies every block of the store in `from` whose record and body still read and match their
 * hash, with its sessions and the edges among recovered blocks, into a new store in `to`
 * (absent or empty). Never writes to `from`. Throws `store-not-found`, `not-a-store` or
 * `store-exists`; on any other failure removes what it made in `to`.
 */
export async function salvageStore(from: string, to: string): Promise<SalvageReport> {
  const file = join(from, STORE_FILE);
  if (!existsSync(from))
    throw new Llm386Error(
      'store-not-found',
      `no store at ${from}: name the damaged store with --store`,
    );
  if (!existsSync(file) || !statSync(file).isFile())
    throw new Llm386Error(
      'not-a-store',
      `${from} has no ${STORE_FILE}: there is nothing to salvage`,
    );
  if (resolve(from) === resolve(to))
    throw new Llm386Error(
      'store-exists',
      `salvage writes a new store: --to must be another folder than ${from}`,
    );
  const existed = existsSync(to);
  if (existed && (!statSync(to).isDirectory() || readdirSync(to).length > 0)) {
    throw new Llm386Error(
      'store-exists',
      `${to} is not an empty folder: salvage into a new folder`,
    );
  }
  const pages = PageFile.open(file);
  const decoder = new ValueDecoder();
  try {
    const scan = scanStore(pages, decoder);
    if (!scan.pages.treesWalked && scan.pages.orphanLeaves === 0) {
      throw new Llm386Error(
        'not-a-store',
        `${from}/${STORE_FILE} holds no readable LMDB page: there is nothing to salvage`,
      );
    }
    return { from, to, ...writeSalvage(pages, scan, to, existed), pages: scan.pages };
  } finally {
    pages.close();
    await decoder.close();
  }
}

function writeSalvage(
  pages: PageFile,
  scan: SalvageScan,
  to: string,
  existed: boolean,
): Pick<SalvageReport, 'recovered' | 'lost' | 'edgesLost'> {
  const store = Store.init(to);
  let ok = false;
  try {
    const written = new Set<BlockId>();
    const ids = [...scan.blocks.keys()].sort();
    for (let i = 0; i < ids.length; i += PUT_BATCH) {
      const batch = ids.slice(i, i + PUT_BATCH);
      try {
        putBlocks(store, pages, scan, batch, written);
      } catch (error) {
        // One record the store refuses must not cost its batch: put the blocks one at a time.
        // Anything else (a full disk) ends the salvage.
        if (!isLlm386Error(error)) throw error;
        for (const id of batch) {
          try {
            putBlocks(store, pages, scan, [id], written);
          } catch (single) {
            if (!isLlm386Error(single)) throw single;
          }
        }
      }
    }
    // Refused by the store, or merged into an earlier block with the same knowledge (kind, body).
    const refused = ids.filter((id) => !written.has(id));
    let edges = 0;
    let edgesLost = scan.edgesLost;
    const usable = scan.edges.filter((e) => written.has(e.from) && written.has(e.to));
    edgesLost += scan.edges.length - usable.length;
    for (let i = 0; i < usable.length; i += PUT_BATCH) {
      store.transaction(() => {
        for (const e of usable.slice(i, i + PUT_BATCH)) {
          try {
            if (store.addEdge(e.from, e.kind, e.to)) edges++;
          } catch (error) {
            // The store's own checks (a tool pair that does not match) refuse it: not copied.
            if (!isLlm386Error(error)) throw error;
            edgesLost++;
          }
        }
      });
    }
    const bodies = new Set([...written].map((id) => scan.blocks.get(id)?.record.hash)).size;
    const sessions = store.sessions().length;
    ok = true;
    return {
      recovered: { blocks: written.size, bodies, edges, sessions },
      lost: [...scan.lost, ...refused].sort(),
      edgesLost,
    };
  } finally {
    store.close();
    if (!ok) {
      rmSync(to, { recursive: true, force: true });
      if (existed) mkdirSync(to);
    }
  }
}

/** Puts blocks with their ids, times and sessions in one transaction; adds the ids written to `written`. */
function putBlocks(
  store: Store,
  pages: PageFile,
  scan: SalvageScan,
  ids: readonly BlockId[],
  written: Set<BlockId>,
): void {
  const puts: PutInput[] = [];
  for (const id of ids) {
    const block = scan.blocks.get(id);
    const body = block === undefined ? undefined : pages.value(block.body);
    if (block === undefined || body === undefined || sha256Hex(body) !== block.record.hash)
      continue;
    const r = block.record;
    const [first, ...others] = r.sessions;
    const common = {
      kind: r.kind,
      body,
      priority: r.priority,
      labels: r.labels,
      createdAt: r.createdAt,
    };
    puts.push({
      ...common,
      id,
      session: first as string,
      ...(r.source === undefined ? {} : { source: r.source }),
      ...(r.toolCalls === undefined ? {} : { toolCalls: r.toolCalls }),
      ...(r.toolCallId === undefined ? {} : { toolCallId: r.toolCallId }),
      ...(r.name === undefined ? {} : { name: r.name }),
    });
    // A knowledge block's other sessions: a put of the same body adds the session to it (as a
    // turn bundle's import does). An event block belongs to one session.
    if (isKnowledgeKind(r.kind)) for (const session of others) puts.push({ ...common, session });
  }
  const done = store.transaction(() => {
    const results = store.putMany(puts);
    const ok: BlockId[] = [];
    puts.forEach((put, i) => {
      // A knowledge block whose (kind, body) an earlier salvaged block already holds merges into it.
      if (put.id !== undefined && results[i]?.block.id === put.id) ok.push(put.id as BlockId);
    });
    return ok;
  });
  for (const id of done) written.add(id);
}
