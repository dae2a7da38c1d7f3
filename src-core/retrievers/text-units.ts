import { IndexSet } from './index-set';
import type { RetrievalQuery } from './retriever';
import type { TextUnit } from './text-index';
import type { Store } from '../store/index';

/**
 * The persisted text index units of a query's pool, caught up with the change log: what the
 * bm25 and lexical retrievers search.
 */
export async function textUnits(store: Store, query: RetrievalQuery): Promise<TextUnit[]> {
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
  return units;
}
