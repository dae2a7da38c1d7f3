// Handlers of the methods in ./contract-turns.ts; merged into the full map by ./handlers.ts.
import type { TurnOutputs } from './contract-turns';
import type { FeatureContext, ImplementationsOf } from './handlers';
import { listTraces } from './runtime';
import { turnSummary } from './views';

/** The implementations of this feature's methods over one open store. */
export function turnImplementations(context: FeatureContext): ImplementationsOf<keyof TurnOutputs> {
  const { store } = context;
  return {
    'turns.list': (input) => {
      const all = listTraces(store, input.session);
      return { turns: all.slice(Math.max(0, all.length - input.limit)).map(turnSummary), total: all.length };
    },
  };
}
