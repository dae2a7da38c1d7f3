import { Llm386Error } from '../base/index';
import { appendOutput, identity } from './builtins';
import { jsonEvents } from './json-events';
import type { Reducer } from './reducer';

/** The names of the built-in reducers, as the CLI and configuration spell them. */
export const REDUCER_NAMES = ['identity', 'append-output', 'json-events'] as const;
/** The name of a built-in reducer. */
export type ReducerName = (typeof REDUCER_NAMES)[number];

const BUILTINS: Readonly<Record<ReducerName, Reducer>> = {
  identity,
  'append-output': appendOutput,
  'json-events': jsonEvents,
};

/** True when `name` names a built-in reducer. */
export function isReducerName(name: string): name is ReducerName {
  return (REDUCER_NAMES as readonly string[]).includes(name);
}

/** The built-in reducer called `name`, or throws `invalid-input` listing the names. */
export function reducerByName(name: string): Reducer {
  if (!isReducerName(name))
    throw new Llm386Error(
      'invalid-input',
      `unknown reducer "${name.slice(0, 40)}": use one of ${REDUCER_NAMES.join(', ')}`,
    );
  return BUILTINS[name];
}
