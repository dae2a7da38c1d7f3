// The reducer module: the only path from model output to stored state.
export { reducerId, checkReduceInput, callSource, EMPTY_REDUCTION } from './reducer';
export type { ReduceInput, Reduction, ReductionEdge, Reducer } from './reducer';
export { identity, appendOutput } from './builtins';
export { jsonEvents, parseEnvelope, envelopeText, parentEdgeKind } from './json-events';
export type { JsonEvent } from './json-events';
export { REDUCER_NAMES, isReducerName, reducerByName } from './registry';
export type { ReducerName } from './registry';
export { commitReduction } from './commit';
