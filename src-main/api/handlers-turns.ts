// Handlers of the methods in ./contract-turns.ts; merged into the full map by ./handlers.ts.
import type { TurnOutputs } from './contract-turns';
import type { FeatureContext, ImplementationsOf } from './handlers';

/** The implementations of this feature's methods over one open store. */
export function turnImplementations(context: FeatureContext): ImplementationsOf<keyof TurnOutputs> {
  void context;
  return {};
}
