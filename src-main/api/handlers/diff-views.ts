// Helpers shared by the Compare and What-if handlers: previews of the blocks a plan diff names,
// a recorded policy as the UI shows it, and a turn's readable prompt.
import type { BlockQuery } from './block-query';
import type { PolicyView } from '../contract';
import type { PlanSplitView } from '../contract/contract-whatif';
import type { DiffBlockView } from '../contract/contract-compare';
import { readablePrompt } from './prompt-text';
import {
  decodeUtf8,
  tracePrompt,
  type Plan,
  type PlanDiff,
  type RecordedPolicy,
  type Store,
  type TraceRecord,
} from '../../runtime';
import { planView, switchesView } from './views';

/** A preview for every block id a diff names: added, removed, changed, and what displaced them. */
export function diffBlocks(blocks: BlockQuery, diff: PlanDiff): Record<string, DiffBlockView> {
  const ids = new Set<string>();
  for (const a of diff.added) ids.add(a.id);
  for (const r of diff.removed) {
    ids.add(r.id);
    if (r.displacedBy !== undefined) ids.add(r.displacedBy);
  }
  for (const c of diff.changed) ids.add(c.id);
  for (const r of diff.retrievers) ids.add(r.id);
  const out: Record<string, DiffBlockView> = {};
  for (const id of ids) {
    const preview = blocks.blockPreview(id);
    out[id] =
      preview === undefined
        ? { preview: null, exists: false }
        : { preview: preview.preview, exists: true };
  }
  return out;
}

/** A plan's budget split and counts, without its candidate lists. */
export function planSplitView(plan: Plan): PlanSplitView {
  // planView maps every field; the lists are dropped after, so a src-core change still breaks the build there.
  const { model, budget, rendering, sections, retrievers, timings } = planView({
    ...plan,
    selected: [],
    omitted: [],
  });
  return {
    model,
    budget,
    rendering: rendering ?? null,
    sections,
    retrievers,
    timings,
    selected: plan.selected.length,
    omitted: plan.omitted.length,
  };
}

/** A recorded policy (a trace's, possibly with what-if overrides) as the UI shows it. */
export function recordedPolicyView(policy: RecordedPolicy): PolicyView {
  return {
    sectionBudgets: policy.sectionBudgets,
    weights: Object.fromEntries(policy.retrievers.map((r) => [r.name, r.weight])),
    switches: switchesView(policy),
  };
}

/** A recorded turn's prompt as people read it (see ./prompt-text.ts); a missing prompt says so. */
export function readableTurnPrompt(store: Store, record: TraceRecord): string {
  const bytes = tracePrompt(store, record);
  if (bytes === undefined)
    return `[the prompt bytes of ${record.callId} (sha256 ${record.promptHash}) are missing from the store: run llm386 verify]`;
  const text = decodeUtf8(bytes);
  return text === undefined
    ? `[the prompt of ${record.callId} is not UTF-8 text]`
    : readablePrompt(text, record.mode);
}
