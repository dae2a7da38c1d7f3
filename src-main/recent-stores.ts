// The list behind File > Open Recent and the store menu's recent stores: store folders, newest
// first, kept in the app's data folder (the desktop app and web mode share it).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** The recent stores' file in the app's data folder (Electron's userData; web mode uses the same). */
export function recentStoresFile(dataDir: string): string {
  return join(dataDir, 'recent-stores.json');
}

const MAX_RECENT = 10;
const recentSchema = z.array(z.string().min(1)).max(100);

/** The recent stores saved in `file`, newest first; an unreadable or malformed file reads as none. */
export function readRecentStores(file: string): string[] {
  try {
    const parsed = recentSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data.slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

/** Puts `storeDir` first in the list in `file` and returns the new list. */
export function rememberStore(file: string, storeDir: string): string[] {
  const list = [storeDir, ...readRecentStores(file).filter((p) => p !== storeDir)].slice(
    0,
    MAX_RECENT,
  );
  try {
    writeFileSync(file, JSON.stringify(list, null, 2));
  } catch {
    // A read-only data folder only costs the recent list.
  }
  return list;
}
