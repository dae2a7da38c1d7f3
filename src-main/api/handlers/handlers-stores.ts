// Handlers of ../contract/contract-stores.ts; merged into the full map by ./index.ts. Main lends the
// choices (InspectorHost.stores); without them (tests, a bare server) the open store is the only one.
import { basename } from 'node:path';
import type { StoresOutputs, StoresView } from '../contract/contract-stores';
import type { FeatureContext, ImplementationsOf } from './handler-context';
import { Llm386Error } from '../../runtime';
import { storeId } from './store-id';

/** The implementations of this feature's methods over one open store. */
export function storesImplementations(
  context: FeatureContext,
): ImplementationsOf<keyof StoresOutputs> {
  const id = storeId(context.store.dir);
  const alone = (): StoresView => ({
    current: id,
    stores: [{ id, name: basename(context.store.dir), path: context.store.dir, origin: 'opened' }],
  });
  return {
    'stores.list': () => context.host?.stores?.list() ?? alone(),
    'stores.open': (input) => {
      const choices = context.host?.stores;
      if (choices !== undefined) return choices.open(input.id);
      if (input.id === id) return alone();
      throw new Llm386Error(
        'store-not-found',
        `no store ${input.id} here: this inspector shows only ${context.store.dir}`,
      );
    },
  };
}
