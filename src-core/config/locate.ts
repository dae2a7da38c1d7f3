/**
 * Finds the 1-based line of a key path in TOML source, for error messages (smol-toml reports
 * positions only for syntax errors). Handles `[table]`, `[[array]]` and `key = value` lines;
 * returns undefined when the path cannot be found (the message then names the key only).
 */
export function locateKey(source: string, path: readonly (string | number)[]): number | undefined {
  const lines = source.split(/\r?\n/);
  const arrayCounts = new Map<string, number>();
  let table: (string | number)[] = [];
  let best: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line.startsWith('#') || line === '') continue;
    const arr = /^\[\[\s*([^\]]+?)\s*\]\]/.exec(line);
    const tab = arr ? undefined : /^\[\s*([^\]]+?)\s*\]/.exec(line);
    if (arr?.[1] !== undefined) {
      const name = arr[1];
      const index = arrayCounts.get(name) ?? 0;
      arrayCounts.set(name, index + 1);
      table = [...name.split('.'), index];
      if (samePrefix(path, table) && path.length <= table.length) best ??= i + 1;
      continue;
    }
    if (tab?.[1] !== undefined) {
      table = tab[1].split('.');
      if (samePrefix(path, table) && path.length <= table.length) best ??= i + 1;
      continue;
    }
    const kv = /^("?)([A-Za-z0-9_.-]+)\1\s*=/.exec(line);
    if (kv?.[2] !== undefined) {
      const full = [...table, ...kv[2].split('.')];
      if (samePrefix(path, full)) return i + 1;
    }
  }
  return best;
}

function samePrefix(
  path: readonly (string | number)[],
  candidate: readonly (string | number)[],
): boolean {
  const n = Math.min(path.length, candidate.length);
  for (let i = 0; i < n; i++) if (String(path[i]) !== String(candidate[i])) return false;
  return true;
}
