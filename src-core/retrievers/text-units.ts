import { IndexSet } from './index-set';
import type { RetrievalQuery } from './retriever';
import type { TextUnit } from './text-index';
import { termIds } from './text-terms';
import type { Store } from '../store/index';

/** True when the task has terms to search for (checked before any index is loaded). */
export function hasTerms(store: Store, task: string): boolean {
  return termIds(task, IndexSet.of(store).terms).length > 0;
}

/**
 * The persisted text index units of a query's pool, caught up with the change log, and the
 * task's terms numbered as they are: what the bm25 and lexical retrievers search. The terms are
 * read after the catch-up, with no wait between them and the search (a bulk writer's flush may
 * renumber the dictionary while this waits).
 */
export async function textUnits(
  store: Store,
  query: RetrievalQuery,
): Promise<{ units: TextUnit[]; terms: Uint32Array }> {
  const family = IndexSet.of(store).text;
  const sessions = [...new Set(query.sessions)];
  await family.sync(sessions);
  const visible = query.visible;
  const hiddenIn = query.hiddenIn;
  const units: TextUnit[] = [];
  for (const session of sessions) {
    const unit = family.unit(session);
    if (unit === undefined) continue;
    if (visible === undefined) units.push(unit);
    else if (hiddenIn !== undefined) {
      const hidden = hiddenIn(session);
      units.push(unit.snapshot((id) => !hidden.has(id)));
    } else units.push(unit.snapshot((id) => visible(id, session)));
  }
  return { units, terms: termIds(query.task, IndexSet.of(store).terms) };
}
