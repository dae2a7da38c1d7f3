import type { BlockId, Section } from '../base/index';
import type { ModelProfile } from '../config/index';
import type { BlockRecord } from '../store/index';
import type { ExactCount } from './exact';
import type { Candidate, Choice, PageContext } from './page-context';
import {
  attachRecords,
  type Plan,
  type Rendering,
  type RetrieverRun,
  type RetrieverScore,
  type SectionPlan,
  type SelectedBlock,
  type SelectReason,
} from './plan';
import { FUSION_FORMULAS } from './scores';
import { FILL_SECTIONS } from './sections';

/** What the plan records besides the call's decisions (in the context). */
export interface PlanInputs {
  readonly session: string;
  readonly task: string;
  readonly now: number;
  readonly model: ModelProfile;
  readonly budget: number;
  /** Under `bound`: the task and chat framing, and each section header (`sectionOverhead`). */
  readonly overhead: number;
  readonly sectionOverhead: ReadonlyMap<Section, number>;
  readonly runs: RetrieverRun[];
  readonly timings: Record<string, number>;
  readonly watermark: BlockId | null;
  readonly watermarkSeq: number;
  readonly window: { isEmpty(): boolean };
  /** The exact count (a plan for a rendering); undefined under `bound`. */
  readonly exact: ExactCount | undefined;
  readonly rendering: Rendering | undefined;
}

/**
 * The plan of a call: every selected block (by section in rendering order, then by id) and every
 * omitted one (by id) with its reason, the sections' budgets and the call's totals.
 */
export function toPlan(ctx: PageContext, args: PlanInputs): Plan {
  const exact = args.exact;
  const selected: SelectedBlock[] = [];
  let used = exact === undefined ? args.overhead : exact.total;
  const sectionUsed = new Map<Section, number>();
  const groupTokens = new Map<BlockId, number>();
  /** The tool group of each selected block in one (few: most blocks are in none). */
  const groupOf = new Map<BlockId, BlockId>();
  const bySection = new Map<Section, SelectedBlock[]>();
  for (const [id, s] of ctx.selected) {
    const c = ctx.candidates.get(id);
    const tokens = exact === undefined ? s.tokens : (exact.blockTokens.get(id) ?? s.tokens);
    if (exact === undefined) used += tokens;
    sectionUsed.set(s.section, (sectionUsed.get(s.section) ?? 0) + tokens);
    const group = exact === undefined ? undefined : toolGroup(s.choice.record, s.caller);
    if (group !== undefined) {
      groupTokens.set(group, (groupTokens.get(group) ?? 0) + tokens);
      groupOf.set(id, group);
    }
    const block = selectedBlock(
      id,
      s.choice,
      s.section,
      tokens,
      c?.score ?? ctx.policy.pager.priorityWeight * s.choice.record.priority,
      c?.retrievers ?? {},
      s.placement,
      s.caller,
    );
    const list = bySection.get(s.section);
    if (list === undefined) bySection.set(s.section, [block]);
    else list.push(block);
  }
  // By section in rendering order, then by id.
  for (const section of [...bySection.keys()].sort((a, b) => SECTION_ORDER[a] - SECTION_ORDER[b])) {
    const list = bySection.get(section) as SelectedBlock[];
    list.sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const b of list) selected.push(b);
  }
  if (exact === undefined) for (const s of args.sectionOverhead.values()) used += s;
  else if (groupOf.size > 0) {
    for (let i = 0; i < selected.length; i++) {
      const b = selected[i] as SelectedBlock;
      const group = groupOf.get(b.id);
      if (group !== undefined)
        selected[i] = { ...b, pairTokens: groupTokens.get(group) ?? b.tokens };
    }
  }
  const overheadOf = (s: Section) =>
    exact === undefined ? (args.sectionOverhead.get(s) ?? 0) : (exact.sectionOverhead.get(s) ?? 0);
  const sections: SectionPlan[] = [];
  const extras = (s: Section) => {
    if (exact === undefined) return {};
    const from = ctx.spillFrom.get(s);
    return { ...(from === undefined ? {} : { spillFrom: from }), charged: ctx.used.get(s) ?? 0 };
  };
  sections.push({
    section: 'system',
    allocated: sectionUsed.get('system') ?? 0,
    used: sectionUsed.get('system') ?? 0,
    overhead: overheadOf('system'),
    spillReceived: 0,
  });
  const overhead = exact === undefined ? args.overhead : exact.overhead;
  sections.push({
    section: 'task',
    allocated: overhead,
    used: overhead,
    overhead,
    spillReceived: 0,
  });
  for (const s of FILL_SECTIONS) {
    sections.push({
      section: s,
      allocated: ctx.allocated.get(s) ?? 0,
      used: sectionUsed.get(s) ?? 0,
      overhead: overheadOf(s),
      spillReceived: ctx.spill.get(s) ?? 0,
      ...extras(s),
    });
  }
  if (used > args.budget)
    throw new Error(`invariant violated: plan charges ${used} tokens over budget ${args.budget}`);
  const omitted = [...ctx.omitted.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const plan: Plan = {
    session: args.session,
    task: args.task,
    now: args.now,
    model: args.model,
    budget: { input: args.budget, used, overhead, slack: args.budget - used },
    ...(args.rendering === undefined ? {} : { rendering: args.rendering }),
    sections,
    selected,
    omitted,
    retrievers: args.runs,
    ...(args.window.isEmpty() && ctx.store.sessionSize(args.session) === 0
      ? {
          warnings: [
            `session "${args.session}" holds no blocks yet: the prompt has only the task and global sessions`,
          ],
        }
      : {}),
    fusion: {
      mode: ctx.fusion,
      formula: FUSION_FORMULAS[ctx.fusion],
      priorityWeight: ctx.policy.pager.priorityWeight,
    },
    timings: args.timings,
    watermark: args.watermark,
    watermarkSeq: args.watermarkSeq,
  };
  // The call's selection answers for the packer (nothing changes it once the plan is made).
  const selection = ctx.selected;
  return attachRecords(plan, { get: (id) => selection.get(id)?.choice.record });
}

const SECTION_ORDER: Readonly<Record<Section, number>> = {
  system: 0,
  task: 1,
  state: 2,
  plan: 3,
  retrieved: 4,
  tools: 5,
  recent: 6,
  background: 7,
};

/** The tool group a block belongs to (its calling message's id), if any. */
function toolGroup(record: BlockRecord, caller: BlockId | undefined): BlockId | undefined {
  if (record.kind === 'tool-result') return caller;
  return record.toolCalls !== undefined && record.toolCalls.length > 0 ? record.id : undefined;
}

/** A plan's selected block; literals rather than conditional spreads (hot, and the key order is the plan's). */
function selectedBlock(
  id: BlockId,
  choice: Choice,
  section: Section,
  tokens: number,
  score: number,
  retrievers: Record<string, RetrieverScore>,
  placement: 'conversation' | 'text',
  caller: BlockId | undefined,
): SelectedBlock {
  const { kind, hash } = choice.record;
  const { reason, via } = choice;
  if (via === undefined) {
    return caller === undefined
      ? { id, kind, hash, section, tokens, score, reason, retrievers, placement }
      : { id, kind, hash, section, tokens, score, reason, retrievers, placement, caller };
  }
  return caller === undefined
    ? { id, kind, hash, section, tokens, score, reason, retrievers, via, placement }
    : { id, kind, hash, section, tokens, score, reason, retrievers, via, placement, caller };
}

/** Why a candidate taken on its score (not by the window, as a dependency or a tool partner) was selected. */
export function reasonFor(c: Candidate): SelectReason {
  if (c.record.labels.includes('pinned') || Object.hasOwn(c.retrievers, 'pinned')) return 'pinned';
  // A block taken on its score was ranked in by its fused score, under either fusion. `recency`
  // means "part of the recent conversation window": only the window's own picks carry it. Under
  // max fusion the retriever scoring a block highest may be recency for a global fact outside the
  // conversation, or one a what-if weighs at 0.
  return 'relevance';
}
