import { dirname } from 'node:path';
import type { Config } from '../config/index';
import { buildRetrievers } from '../retrievers/index';
import type { Store } from '../store/index';
import type { PagePolicy } from './pager';

/** The paging policy a config describes: its retriever stack (or the default one), fractions and switches. */
export async function policyFromConfig(config: Config, store: Store): Promise<PagePolicy> {
  const baseDir = config.source === undefined || config.source === 'config' ? undefined : dirname(config.source);
  const retrievers = await buildRetrievers(config.retrievers, { store, baseDir });
  return {
    retrievers: retrievers.map((r) => ({ retriever: r.retriever, weight: r.weight, limit: r.limit })),
    sectionBudgets: config.sectionBudgets,
    pager: config.pager,
    includeTimestamps: config.packer.includeTimestamps,
  };
}
