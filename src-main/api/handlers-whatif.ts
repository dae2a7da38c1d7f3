// Handlers of the methods in ./contract-whatif.ts; merged into the full map by ./handlers.ts.
import type { WhatIfOutputs } from './contract-whatif';
import type { FeatureContext, ImplementationsOf } from './handlers';

/** The implementations of this feature's methods over one open store. */
export function whatIfImplementations(context: FeatureContext): ImplementationsOf<keyof WhatIfOutputs> {
  void context;
  return {};
}
