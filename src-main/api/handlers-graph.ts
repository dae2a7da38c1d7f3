// Handlers of the methods in ./contract-graph.ts; merged into the full map by ./handlers.ts.
import type { GraphOutputs } from './contract-graph';
import type { FeatureContext, ImplementationsOf } from './handlers';

/** The implementations of this feature's methods over one open store. */
export function graphImplementations(context: FeatureContext): ImplementationsOf<keyof GraphOutputs> {
  void context;
  return {};
}
