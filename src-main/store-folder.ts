// What File > Open Store… and a drop on the window may open: a folder holding an LLM386 store.
// Main checks the path it got from the dialog or the drop (the page never names one) before it
// switches, so a wrong folder leaves the open store open and says what to pick instead.
import { statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { STORE_FILE } from './runtime';

export type StoreFolder =
  { readonly ok: true; readonly dir: string } | { readonly ok: false; readonly message: string };

/**
 * The store folder at `path`: the folder itself when it holds a store's data file, or the folder
 * of that data file when the file itself was picked. Otherwise why it is not one.
 */
export function storeFolderAt(path: string): StoreFolder {
  const target = resolve(path);
  const kind = kindOf(target);
  if (kind === undefined)
    return { ok: false, message: `${target} does not exist (moved or deleted?).` };
  if (kind === 'file') {
    if (basename(target) === STORE_FILE && kindOf(dirname(target)) === 'dir')
      return { ok: true, dir: dirname(target) };
    return {
      ok: false,
      message: `${target} is a file, not a store: open the folder that holds ${STORE_FILE}.`,
    };
  }
  if (kindOf(join(target, STORE_FILE)) !== 'file')
    return {
      ok: false,
      message: `${target} is not an LLM386 store (it has no ${STORE_FILE}): open the folder made by \`llm386 init DIR\`.`,
    };
  return { ok: true, dir: target };
}

function kindOf(path: string): 'file' | 'dir' | undefined {
  try {
    const stat = statSync(path);
    return stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}
