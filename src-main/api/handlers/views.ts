// Runtime values mapped onto the contract's wire types, field by field: a change in src-core that
// breaks a wire type is a compile error here. Shared by every handler module.
import {
  RECENCY_BOOST,
  type ChatView,
  type ModelView,
  type PlanDiffView,
  type PlanView,
  type PolicyView,
  type PromptView,
  type RetrieverScoreView,
  type SpanView,
  type TurnSummary,
} from '../contract';
import type { BlockPreview, BlockQuery } from './block-query';
import { previewOf } from './block-query';
import {
  inputBudget,
  type BlockId,
  type ModelProfile,
  type PackedChat,
  type PackedPrompt,
  type PagePolicy,
  type Plan,
  type PlanDiff,
  type RetrieverScore,
  type Span,
  type TraceRecord,
} from '../../runtime';

export function modelView(profile: ModelProfile): ModelView {
  return {
    name: profile.name,
    provider: profile.provider,
    maxContextTokens: profile.maxContextTokens,
    reservedOutputTokens: profile.reservedOutputTokens,
    safetyMarginTokens: profile.safetyMarginTokens,
    inputBudget: inputBudget(profile),
    tokenizer: profile.tokenizer,
    tokenizerExact: profile.tokenizerExact,
    supportsSystemRole: profile.supportsSystemRole,
  };
}

/** The plan as it crosses the boundary; field by field, so a change in src-core breaks the build here. */
export function planView(plan: Plan): PlanView {
  const orNull = (id: BlockId | undefined) => id ?? null;
  return {
    session: plan.session,
    task: plan.task,
    now: plan.now,
    model: modelView(plan.model),
    budget: {
      input: plan.budget.input,
      used: plan.budget.used,
      overhead: plan.budget.overhead,
      slack: plan.budget.slack,
    },
    rendering: plan.rendering ?? null,
    sections: plan.sections.map((s) => ({
      section: s.section,
      allocated: s.allocated,
      used: s.used,
      overhead: s.overhead,
      spillReceived: s.spillReceived,
      spillFrom: s.spillFrom ?? null,
      charged: s.charged ?? null,
    })),
    selected: plan.selected.map((s) => ({
      id: s.id,
      kind: s.kind,
      section: s.section,
      tokens: s.tokens,
      pairTokens: s.pairTokens ?? null,
      score: s.score,
      reason: s.reason,
      retrievers: scoresView(s.retrievers),
      via: orNull(s.via),
      placement: s.placement,
      caller: orNull(s.caller),
    })),
    omitted: plan.omitted.map((o) => ({
      id: o.id,
      kind: o.kind,
      section: o.section,
      reason: o.reason,
      score: o.score,
      tokensNeeded: o.tokensNeeded,
      tokensLeft: o.tokensLeft,
      displacedBy: orNull(o.displacedBy),
      retrievers: scoresView(o.retrievers),
    })),
    retrievers: plan.retrievers.map((r) => ({
      name: r.name,
      weight: r.weight,
      candidates: r.candidates,
      ms: r.ms,
      role: r.role ?? null,
      top: r.top ?? null,
      flat: r.flat ?? null,
    })),
    fusion:
      plan.fusion === undefined
        ? null
        : {
            mode: plan.fusion.mode,
            formula: plan.fusion.formula,
            priorityWeight: plan.fusion.priorityWeight,
            recencyBoost: RECENCY_BOOST,
          },
    timings: plan.timings,
    watermark: plan.watermark,
  };
}

/** One retriever's view of a candidate; a record made before plans showed contributions has null. */
export function scoreView(score: RetrieverScore): RetrieverScoreView {
  return {
    raw: score.raw,
    normalized: score.normalized,
    rank: score.rank,
    contribution: score.contribution ?? null,
  };
}

function scoresView(
  scores: Readonly<Record<string, RetrieverScore>>,
): Record<string, RetrieverScoreView> {
  const out: Record<string, RetrieverScoreView> = {};
  for (const name in scores) {
    const score = scores[name];
    if (score !== undefined) out[name] = scoreView(score);
  }
  return out;
}

export function spanView(span: Span): SpanView {
  return { id: span.id, start: span.start, end: span.end, message: span.message ?? null };
}

export function promptView(prompt: PackedPrompt): PromptView {
  return {
    text: prompt.prompt,
    tokens: prompt.tokens,
    promptHash: prompt.promptHash,
    spans: prompt.spans.map(spanView),
  };
}

export function chatView(chat: PackedChat): ChatView {
  return {
    messages: chat.messages.map((m) => ({
      role: m.role,
      content: m.content,
      toolCalls: (m.toolCalls ?? []).map((c) => ({
        id: c.id,
        name: c.name,
        arguments: c.arguments,
      })),
      toolCallId: m.toolCallId ?? null,
    })),
    cacheBoundary: chat.cacheBoundary,
    tokens: chat.tokens,
    promptHash: chat.promptHash,
    spans: chat.spans.map(spanView),
  };
}

/** A preview line and creation time for every candidate of a plan (selected or omitted) that still exists. */
export function candidatePreviews(blocks: BlockQuery, plan: Plan): Record<string, BlockPreview> {
  const previews: Record<string, BlockPreview> = {};
  for (const { id } of [...plan.selected, ...plan.omitted]) {
    const preview = blocks.blockPreview(id);
    if (preview !== undefined) previews[id] = preview;
  }
  return previews;
}

/** The effective policy of a live page call as the UI shows it. */
export function policyView(policy: PagePolicy): PolicyView {
  return {
    sectionBudgets: policy.sectionBudgets,
    weights: Object.fromEntries(policy.retrievers.map((r) => [r.retriever.name, r.weight])),
    switches: switchesView(policy),
  };
}

/** A policy's pager switches as the UI shows them (a live policy's or a recorded one's). */
export function switchesView(
  policy: Pick<PagePolicy, 'pager' | 'includeTimestamps'>,
): PolicyView['switches'] {
  return {
    includeDependencies: policy.pager.includeDependencies,
    summarySubstitution: policy.pager.summarySubstitution,
    spill: policy.pager.spill,
    redundancyThreshold: policy.pager.redundancyThreshold,
    priorityWeight: policy.pager.priorityWeight,
    includeTimestamps: policy.includeTimestamps,
  };
}

/** A trace record as lists show it. */
export function turnSummary(record: TraceRecord): TurnSummary {
  return {
    callId: record.callId,
    session: record.session,
    createdAt: record.createdAt,
    model: record.model.name,
    inputBudget: record.plan.budget.input,
    tokens: record.tokens,
    overhead: record.plan.budget.overhead,
    selected: record.plan.selected.length,
    omitted: record.plan.omitted.length,
    task: previewOf(record.task),
    mode: record.mode,
    promptHash: record.promptHash,
    hasOutput: record.output !== undefined,
  };
}

/** A plan diff as it crosses the boundary. */
export function planDiffView(diff: PlanDiff): PlanDiffView {
  return {
    summary: diff.summary,
    added: diff.added.map((a) => ({
      id: a.id,
      kind: a.kind,
      section: a.section,
      tokens: a.tokens,
      reason: a.reason,
      score: a.score,
    })),
    removed: diff.removed.map((r) => ({
      id: r.id,
      kind: r.kind,
      section: r.section,
      tokens: r.tokens,
      cause: r.cause,
      displacedBy: r.displacedBy ?? null,
      omitReason: r.omitReason,
      scoreBefore: r.scoreBefore,
      scoreAfter: r.scoreAfter,
      detail: r.detail,
    })),
    changed: diff.changed.map((c) => ({
      id: c.id,
      kind: c.kind,
      before: { section: c.before.section, reason: c.before.reason, tokens: c.before.tokens },
      after: { section: c.after.section, reason: c.after.reason, tokens: c.after.tokens },
    })),
    tokenDelta: diff.tokenDelta,
    budget: { before: diff.budget.before, after: diff.budget.after },
    sections: diff.sections.map((s) => ({
      section: s.section,
      before: s.before,
      after: s.after,
      delta: s.delta,
    })),
    retrievers: diff.retrievers.map((r) => ({
      id: r.id,
      retriever: r.retriever,
      before: r.before === null ? null : scoreView(r.before),
      after: r.after === null ? null : scoreView(r.after),
    })),
  };
}
