/**
 * Fault injection for tests of what users meet on a full or failing disk: `LLM386_FAULT=<point>`
 * (several separated by commas) makes {@link injectFault} throw, at that point, the error a full
 * disk gives (`ENOSPC`). Points: `commit` (before a write transaction), `index-save` (when the
 * retriever indexes are saved after a write). Unset in normal use: one environment read.
 */
export function injectFault(point: 'commit' | 'index-save'): void {
  const spec = process.env.LLM386_FAULT;
  if (spec === undefined || spec === '' || !spec.split(',').includes(point)) return;
  const error = new Error(
    `ENOSPC: no space left on device (injected at ${point})`,
  ) as NodeJS.ErrnoException;
  error.code = 'ENOSPC';
  throw error;
}

/** True for errors that mean the disk is full or failing (ENOSPC, EDQUOT, EIO, LMDB's map full). */
export function isStorageFull(error: unknown): boolean {
  const e = error as NodeJS.ErrnoException | undefined;
  const text = `${e?.code ?? ''} ${e?.message ?? ''}`;
  return /ENOSPC|EDQUOT|EIO\b|No space left|Disk quota|Input\/output error|MDB_MAP_FULL/i.test(
    text,
  );
}
