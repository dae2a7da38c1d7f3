import { Llm386Error } from '../base/index';
import {
  callSource,
  checkReduceInput,
  EMPTY_REDUCTION,
  reducerId,
  type Reducer,
  type ReductionEdge,
} from './reducer';

/** The reducer that stores nothing (the call's output lives only in its trace record). */
export const identity: Reducer = (input) => {
  checkReduceInput(input);
  return EMPTY_REDUCTION;
};

/**
 * Stores the reply as one `assistant-message` block (id `reducerId(callId, 0, now)`, created at
 * `now`, source `call:<callId>`), with a `parent` edge to `userMessageId` when given.
 *
 * The reply is stored byte for byte, untrimmed. An empty reply throws `empty-body`: a block needs
 * at least one byte, and silently storing nothing would hide a broken turn.
 */
export const appendOutput: Reducer = (input) => {
  checkReduceInput(input);
  if (input.output.length === 0) {
    throw new Llm386Error(
      'empty-body',
      `append-output: the model output of call ${input.callId} is empty, so there is no reply to store: use the identity reducer for calls without text`,
    );
  }
  const id = reducerId(input.callId, 0, input.now);
  const edges: ReductionEdge[] =
    input.userMessageId === undefined
      ? []
      : [{ from: id, kind: 'parent', to: input.userMessageId }];
  return {
    puts: [
      {
        id,
        session: input.session,
        kind: 'assistant-message',
        body: input.output,
        createdAt: input.now,
        source: callSource(input.callId),
      },
    ],
    edges,
  };
};
