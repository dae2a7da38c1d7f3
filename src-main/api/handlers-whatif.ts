// Handlers of the methods in ./contract-whatif.ts; merged into the full map by ./handlers.ts.
import type { WhatIfOutputs } from './contract-whatif';
import { diffBlocks, planSplitView, recordedPolicyView } from './diff-views';
import type { FeatureContext, ImplementationsOf } from './handlers';
import { applyOverrides, findProfile, getTrace, replay, whatIf, type PlanDiff, type WhatIfOverrides } from './runtime';
import { planDiffView, turnSummary } from './views';

/** The implementations of this feature's methods over one open store. */
export function whatIfImplementations(context: FeatureContext): ImplementationsOf<keyof WhatIfOutputs> {
  const { store, config, blocks } = context;
  const blocksOf = (diff: PlanDiff | undefined) => (diff === undefined ? {} : diffBlocks(blocks, diff));
  return {
    'whatif.run': async (input) => {
      const started = performance.now();
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
        divergence: d === undefined ? null : { stage: d.stage, blockId: d.blockId ?? null, detail: d.detail },
        diff: report.diff === undefined ? null : planDiffView(report.diff),
        blocks: blocksOf(report.diff),
        ms: performance.now() - started,
      };
    },
  };
}
