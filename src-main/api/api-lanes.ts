// Which thread answers a method. The runtime runs beside the UI's thread (Electron main, web
// mode's request loop) in two worker threads over the same store: the runtime lane pages, replays,
// compares and walks graphs (up to seconds at 100k blocks); the quick lane answers what the page
// asks for while that runs (store.info and store.changes, polled for live refresh; the lists).
// Methods not named here (new ones included) go to the runtime lane.
import type { ApiMethod } from './contract';

/** A worker thread that answers methods. */
export type ApiLane = 'runtime' | 'quick';

/** Reads of metadata only: no paging, no tokenizer, no index build. */
const QUICK_METHODS: ReadonlySet<string> = new Set<ApiMethod>([
  'store.info',
  'store.changes',
  'stores.list',
  'stores.open',
  'sessions.list',
  'models.list',
  'blocks.list',
  // Reads trace records for at most 200 ms per request: the block pane's turns stay quick while
  // a turn's candidates, prompt or a what-if keep the runtime lane busy.
  'turns.forBlock',
]);

/** The lane that answers `method`. */
export function laneOf(method: ApiMethod): ApiLane {
  return QUICK_METHODS.has(method) ? 'quick' : 'runtime';
}
