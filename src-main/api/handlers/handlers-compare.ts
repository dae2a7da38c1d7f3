// Handlers of the methods in ../contract/contract-compare.ts;
// merged into the full map by ./index.ts.
import type {
  CompareOutputs,
  PromptInfoView,
  RenderedPromptView,
} from '../contract/contract-compare';
import { diffBlocks, readableTurnPrompt } from './diff-views';
import type { FeatureContext, ImplementationsOf } from './handler-context';
import {
  asOfTrace,
  diffPlans,
  diffText,
  existedAt,
  getTrace,
  type BlockId,
  type Store,
  type TraceRecord,
} from '../../runtime';
import { planDiffView, turnSummary } from './views';

// Readable prompts by call id (a recorded prompt never changes); a few, as they may be megabytes.
const MAX_CACHED_PROMPTS = 8;

/** The implementations of this feature's methods over one open store. */
export function compareImplementations(
  context: FeatureContext,
): ImplementationsOf<keyof CompareOutputs> {
  const { store, blocks } = context;
  const prompts = new Map<string, string>();
  const promptOf = (record: TraceRecord): string => {
    let text = prompts.get(record.callId);
    if (text === undefined) {
      text = readableTurnPrompt(store, record);
      if (prompts.size >= MAX_CACHED_PROMPTS) prompts.delete(prompts.keys().next().value as string);
      prompts.set(record.callId, text);
    }
    return text;
  };
  const info = (record: TraceRecord): PromptInfoView => {
    const text = promptOf(record);
    return {
      mode: record.mode,
      promptHash: record.promptHash,
      tokens: record.tokens,
      chars: text.length,
      lines: lineCount(text),
    };
  };
  const rendered = (record: TraceRecord): RenderedPromptView => ({
    callId: record.callId,
    mode: record.mode,
    promptHash: record.promptHash,
    tokens: record.tokens,
    text: promptOf(record),
  });

  return {
    'compare.turns': (input) => {
      const started = performance.now();
      const b = getTrace(store, input.b);
      const aId = input.a ?? previousTurn(store, b);
      const a = aId === undefined ? undefined : getTrace(store, aId);
      const exists = (id: BlockId) => store.hasBlock(id);
      const diff = a === undefined ? undefined : diffPlans(a.plan, b.plan, { exists });
      const text = a === undefined ? undefined : diffText(promptOf(a), promptOf(b), { context: 0 });
      return {
        session: b.session,
        a: a === undefined ? null : turnSummary(a),
        b: turnSummary(b),
        diff: diff === undefined ? null : planDiffView(diff),
        blocks: diff === undefined ? {} : diffBlocks(blocks, diff),
        addedOrigin: a === undefined || diff === undefined ? {} : addedOrigin(store, a, diff.added),
        prompts: { a: a === undefined ? null : info(a), b: info(b) },
        lines: text === undefined ? null : { removed: text.removed, added: text.added },
        ms: performance.now() - started,
      };
    },

    'compare.prompts': (input) => ({
      a: rendered(getTrace(store, input.a)),
      b: rendered(getTrace(store, input.b)),
    }),
  };
}

/** Whether each added block was new to the store since turn `a` or already there (see TurnComparison.addedOrigin). */
function addedOrigin(
  store: Store,
  a: TraceRecord,
  added: readonly { readonly id: BlockId }[],
): Record<string, 'new' | 'old'> {
  const at = asOfTrace(a);
  const out: Record<string, 'new' | 'old'> = {};
  for (const { id } of added) {
    // The write that made it and its id are all `existedAt` reads: no sessions to look up.
    const seq = store.writeSeq(id);
    if (seq !== undefined) out[id] = existedAt({ id, seq }, at) ? 'old' : 'new';
  }
  return out;
}

/** The call id of the turn recorded before `record` in its session, if any. */
function previousTurn(store: Store, record: TraceRecord): string | undefined {
  // Keys only, newest first from the turn itself: no other trace record is decoded.
  for (const id of store.traceLog.callIds(record.session, {
    from: record.callId,
    reverse: true,
    limit: 2,
  })) {
    if (id !== record.callId) return id;
  }
  return undefined;
}

/** Lines as a viewer shows them: a final newline ends the last line, it does not start another. */
function lineCount(text: string): number {
  if (text === '') return 0;
  let n = text.endsWith('\n') ? 0 : 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
