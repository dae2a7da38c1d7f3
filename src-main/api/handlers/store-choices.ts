// The stores the inspector may switch to, by id: the open one, the ones main names (the store it
// was started on, recent stores) and the stores made from turn bundles under main's bundles
// folder (so a deep link to one still opens after a restart). The page only ever names an id from
// this list; main maps it back to a folder it already knows.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { StoreOrigin, StoreRef, StoresView } from '../contract/contract-stores';
import { Llm386Error, STORE_FILE } from '../../runtime';
import { storeId } from './store-id';

/** At most this many bundle stores are offered, newest first. */
const MAX_BUNDLE_STORES = 50;

export interface StoreChoicesOptions {
  /** Where main makes stores from turn bundles. */
  readonly bundlesDir: string;
  /** Stores to offer besides the bundles', in order: the one opened first, recent ones. */
  readonly known: () => readonly { readonly dir: string; readonly origin: StoreOrigin }[];
  /** The open store's folder; undefined while none is open. */
  readonly currentDir: () => string | undefined;
  /** Switches the inspector to the store in `dir` once the current call has answered. */
  readonly switchTo: (dir: string) => void;
}

/** What `stores.list` and `stores.open` run against. */
export interface StoreChoices {
  list(): StoresView;
  /** Switches to the store `id` names (after this call answers); throws `store-not-found` for an id it does not know. */
  open(id: string): StoresView;
}

export function storeChoices(options: StoreChoicesOptions): StoreChoices {
  const refs = (): StoreRef[] => {
    const seen = new Map<string, StoreRef>();
    const known = options.known();
    const bundles = bundleStores(options.bundlesDir);
    const made = new Set(bundles);
    const add = (dir: string, origin: StoreOrigin) => {
      const path = resolve(dir);
      const id = storeId(path);
      // A store made from a bundle says so, also when it is a recent store.
      const from = origin === 'recent' && made.has(path) ? 'bundle' : origin;
      if (!seen.has(id)) seen.set(id, { id, name: basename(path), path, origin: from });
    };
    const current = options.currentDir();
    if (current !== undefined) {
      const path = resolve(current);
      add(
        path,
        known.find((k) => resolve(k.dir) === path)?.origin ??
          (bundles.includes(path) ? 'bundle' : 'opened'),
      );
    }
    // A recent store whose folder was moved or deleted since is not offered.
    for (const k of known)
      if (k.origin !== 'recent' || existsSync(join(k.dir, STORE_FILE))) add(k.dir, k.origin);
    for (const dir of bundles) add(dir, 'bundle');
    return [...seen.values()];
  };
  const view = (stores: StoreRef[], current?: string): StoresView => {
    const dir = options.currentDir();
    return { current: current ?? (dir === undefined ? '' : storeId(dir)), stores };
  };
  return {
    list: () => view(refs()),
    open: (id) => {
      const stores = refs();
      const target = stores.find((s) => s.id === id);
      if (target === undefined) {
        throw new Llm386Error(
          'store-not-found',
          `no store ${id} among the ${stores.length} this inspector knows: the link may come from another machine, or its folder was deleted; pick one from the store menu`,
        );
      }
      const dir = options.currentDir();
      if (dir === undefined || storeId(dir) !== id) options.switchTo(target.path);
      return view(stores, id);
    },
  };
}

/** Store folders under `bundlesDir`, newest first. */
function bundleStores(bundlesDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(bundlesDir);
  } catch {
    return [];
  }
  const stores: { dir: string; at: number }[] = [];
  for (const name of names) {
    const dir = join(bundlesDir, name);
    const file = join(dir, STORE_FILE);
    if (!existsSync(file)) continue;
    try {
      stores.push({ dir: resolve(dir), at: statSync(dir).mtimeMs });
    } catch {
      // Removed while listing.
    }
  }
  return stores
    .sort((a, b) => b.at - a.at)
    .slice(0, MAX_BUNDLE_STORES)
    .map((s) => s.dir);
}
