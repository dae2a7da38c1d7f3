// Handlers of the methods in ../contract/contract-whatif.ts;
// merged into the full map by ./index.ts.
import type { WhatIfOutputs } from '../contract/contract-whatif';
import { diffBlocks, planSplitView, recordedPolicyView } from './diff-views';
import type { FeatureContext, ImplementationsOf } from './handler-context';
import {
  applyOverrides,
  findProfile,
  getTrace,
  packChat,
  packString,
  replay,
  SECTIONS,
  storeSource,
  whatIf,
  type PlanDiff,
  type Section,
  type TraceRecord,
  type WhatIfOverrides,
  type WhatIfResult,
} from '../../runtime';
import type { ApiParsedInput } from '../contract';
import { omittedColumns, turnPreviews } from './turn-views';
import { chatView, planDiffView, planView, promptView, turnSummary } from './views';

type WhatIfInput = ApiParsedInput<'whatif.run'>;

/** The implementations of this feature's methods over one open store. */
export function whatIfImplementations(
  context: FeatureContext,
): ImplementationsOf<keyof WhatIfOutputs> {
  const { store, config, blocks } = context;
  const blocksOf = (diff: PlanDiff | undefined) =>
    diff === undefined ? {} : diffBlocks(blocks, diff);
  // The view asks for a what-if's split first and its candidates and prompt after: page once for
  // both while the store is unchanged (a what-if reads the store at the turn's watermark, but a
  // block deleted since changes it).
  let last:
    | {
        readonly key: string;
        readonly record: TraceRecord;
        readonly overrides: WhatIfOverrides;
        readonly result: WhatIfResult;
      }
    | undefined;
  const run = async (input: WhatIfInput) => {
    const key = `${input.callId}|${store.changeSeq()}|${JSON.stringify(input.overrides)}`;
    if (last?.key === key) return last;
    const { model, budget, sectionBudgets, weights, switches } = input.overrides;
    const overrides: WhatIfOverrides = {
      model: model === undefined ? undefined : findProfile(model, config.profiles),
      budget,
      sectionBudgets,
      weights,
      switches,
    };
    const record = getTrace(store, input.callId);
    const result = await whatIf(store, input.callId, overrides, { record, config });
    last = { key, record, overrides, result };
    return last;
  };
  return {
    'whatif.run': async (input) => {
      const started = performance.now();
      const { record, overrides, result } = await run(input);
      return {
        turn: turnSummary(record),
        recorded: planSplitView(record.plan),
        plan: planSplitView(result.plan),
        recordedPolicy: recordedPolicyView(record.policy),
        policy: recordedPolicyView(applyOverrides(record.policy, overrides)),
        diff: planDiffView(result.diff),
        blocks: blocksOf(result.diff),
        tokens: result.tokens,
        promptHash: result.promptHash,
        sameAsRecording: result.promptHash === record.promptHash,
        retrievers: record.policy.retrievers.map((r) => ({ name: r.name, kind: r.kind })),
        ms: performance.now() - started,
      };
    },

    'whatif.detail': async (input) => {
      const started = performance.now();
      const { record, result } = await run(input);
      const { plan } = result;
      const source = storeSource(store, plan);
      const options = {
        includeTimestamps: record.policy.includeTimestamps,
        stableSections: record.policy.stableSections.filter((s): s is Section =>
          (SECTIONS as readonly string[]).includes(s),
        ),
      };
      const view = planView({ ...plan, omitted: [] });
      return {
        plan: view,
        omitted: omittedColumns(blocks, planView({ ...plan, selected: [] }).omitted),
        blocks: turnPreviews(blocks, plan.selected),
        mode: record.mode,
        prompt: promptView(packString(plan, source, options)),
        chat: chatView(packChat(plan, source, options)),
        promptHash: result.promptHash,
        ms: performance.now() - started,
      };
    },

    'whatif.replay': async (input) => {
      const started = performance.now();
      const report = await replay(store, input.callId, { config });
      const d = report.divergence;
      return {
        callId: report.callId,
        identical: report.identical,
        recordedHash: report.recordedHash,
        replayedHash: report.replayedHash,
        missing: report.missing,
        divergence:
          d === undefined ? null : { stage: d.stage, blockId: d.blockId ?? null, detail: d.detail },
        diff: report.diff === undefined ? null : planDiffView(report.diff),
        blocks: blocksOf(report.diff),
        ms: performance.now() - started,
      };
    },
  };
}
