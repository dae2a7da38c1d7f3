// Handlers of the methods in ./contract-compare.ts; merged into the full map by ./handlers.ts.
import type { CompareOutputs } from './contract-compare';
import type { FeatureContext, ImplementationsOf } from './handlers';

/** The implementations of this feature's methods over one open store. */
export function compareImplementations(context: FeatureContext): ImplementationsOf<keyof CompareOutputs> {
  void context;
  return {};
}
