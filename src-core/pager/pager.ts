import {
  Llm386Error,
  parseBlockId,
  parseSession,
  systemClock,
  type BlockId,
  type Clock,
  type Section,
} from '../base/index';
import { inputBudget, MAX_BUDGET_TOKENS } from '../config/index';
import {
  CHAT_FIXED_OVERHEAD,
  CHAT_MESSAGE_FRAMING,
  CHAT_PRIMING,
  sectionHeader,
  taskSegment,
} from '../packer/format';
import { Catalog } from '../retrievers/index';
import type { Store } from '../store/index';
import { addCandidates, candidateOf } from './candidates';
import { commit } from './charging';
import { warmLineCounts } from './costs';
import { costMode, type ExactCount } from './exact';
import { allocate, fill } from './fill';
import { PageContext, type Candidate } from './page-context';
import type { Plan, Rendering, RetrieverRun, SelectReason } from './plan';
import type { PagePolicy, PageRequest } from './request';
import { mergeUnordered, type FusionMode, type FusionScale, type RetrieverOutput } from './scores';
import { FILL_SECTIONS } from './sections';
import { snapshotOf } from './snapshot';
import { toPlan } from './to-plan';
import { fitExact } from './trim';
import { unitFor } from './units';

/**
 * Pages a session: runs the retrievers concurrently, merges their normalised scores, charges the
 * task, required and System blocks, splits the rest across sections and fills them
 * deterministically, recording a decision and reason for every candidate. The plan's charged
 * tokens never exceed the input budget, and both renderings of the packer fit within it.
 */
export async function page(
  store: Store,
  request: PageRequest,
  policy: PagePolicy,
  options: { clock?: Clock } = {},
): Promise<Plan> {
  const t0 = performance.now();
  const session = parseSession(request.session);
  const now = request.now ?? (options.clock ?? systemClock).now();
  const budget = request.budget ?? inputBudget(request.model);
  if (!Number.isInteger(budget) || budget < 0 || budget > MAX_BUDGET_TOKENS) {
    throw new Llm386Error(
      'invalid-input',
      `budget ${budget} must be a whole number of tokens up to ${MAX_BUDGET_TOKENS}`,
    );
  }
  const pool = [session, ...policy.pager.globalSessions.filter((s) => s !== session)];
  const catalog = Catalog.of(store);
  catalog.sync();
  warmLineCounts(store, catalog, request.model.tokenizer, catalog.pool(pool));
  const snapshot = snapshotOf(store, catalog, pool, request);
  const visible = snapshot.visible;
  const watermark = snapshot.watermark;
  // Custom retrievers written before write sequences read the block-id watermark.
  const asOf = snapshot.live
    ? undefined
    : request.asOfSeq === undefined
      ? (request.asOf ?? '')
      : undefined;

  // 1. Retrievers, concurrently; normalise and merge.
  const timings: Record<string, number> = {};
  const runs: RetrieverRun[] = [];
  const outputs: RetrieverOutput[] = await Promise.all(
    policy.retrievers.map(async ({ retriever, weight, limit }) => {
      const s = performance.now();
      const results = await retriever.retrieve(
        {
          session,
          sessions: pool,
          task: request.task,
          now,
          limit: limit ?? policy.retrieverLimit ?? 1000,
          ...(asOf === undefined ? {} : { asOf: asOf as BlockId }),
          ...(snapshot.live ? {} : { visible, hiddenIn: snapshot.hiddenIn }),
        },
        { store, catalog },
      );
      const ms = performance.now() - s;
      timings[`retrieve:${retriever.name}`] = ms;
      // Blocks newer than the watermark did not exist for the call: they must not set a
      // retriever's top score or ranks either (a retriever may return them).
      const seen = snapshot.live ? results : results.filter((r) => visible(r.id));
      runs.push({ name: retriever.name, weight, candidates: seen.length, ms });
      return { name: retriever.name, weight, role: retriever.role, results: seen };
    }),
  );
  runs.sort(
    (a, b) =>
      policy.retrievers.findIndex((r) => r.retriever.name === a.name) -
      policy.retrievers.findIndex((r) => r.retriever.name === b.name),
  );
  let t = performance.now();
  // A trace recorded before fusion modes existed has no `fusion`: it was paged by `max`.
  const fusion: FusionMode = (policy.pager.fusion as FusionMode | undefined) ?? 'max';
  const { merged, scales } = mergeUnordered(outputs, fusion, snapshot.poolSize);
  for (let i = 0; i < runs.length; i++)
    runs[i] = withScale(runs[i] as RetrieverRun, scales.get((runs[i] as RetrieverRun).name));
  // A trace recorded before plans had a rendering has no `accounting`: it was charged as `bound`.
  const accounting = (policy.pager.accounting as 'exact' | 'bound' | undefined) ?? 'bound';
  const rendering: Rendering | undefined =
    accounting === 'exact' ? (request.rendering ?? 'string') : undefined;
  const stable = new Set<Section>(policy.stableSections ?? ['system', 'background']);
  const ctx = new PageContext(
    store,
    catalog,
    request.model.tokenizer,
    policy,
    now,
    visible,
    snapshot.live,
    fusion,
    request.model.supportsTools,
    costMode(rendering),
    stable,
  );
  ctx.edges.edgeSeq = snapshot.edgeSeq;
  ctx.edges.existed = snapshot.existed;
  const candidates = ctx.candidates;
  addCandidates(ctx, merged);
  timings.merge = performance.now() - t;
  t = performance.now();

  // 2. Fixed charges: task and framing, required and System blocks (`bound`: every section header
  // too; for a rendering, a header and a chat message's framing are charged with their first block).
  const taskCost = ctx.counter.count(
    taskSegment(request.task, policy.includeTimestamps ? new Date(now).toISOString() : undefined),
  );
  const headerCost = (s: Section) => ctx.counter.count(sectionHeader(s));
  const overhead =
    ctx.mode === 'bound'
      ? taskCost + CHAT_FIXED_OVERHEAD
      : ctx.mode === 'chat'
        ? taskCost + CHAT_MESSAGE_FRAMING + CHAT_PRIMING
        : taskCost;
  const sectionOverhead = new Map<Section, number>();
  if (ctx.mode === 'bound')
    for (const s of ['system', ...FILL_SECTIONS] as const) sectionOverhead.set(s, headerCost(s));
  let fixed = overhead + [...sectionOverhead.values()].reduce((a, b) => a + b, 0);
  const fixedReasons = new Map<BlockId, SelectReason>();
  for (const id of request.required ?? []) fixedReasons.set(parseBlockId(id), 'required');
  for (const s of pool)
    for (const id of store.listIds(s, { kinds: ['system'] }))
      if (visible(id) && !fixedReasons.has(id)) fixedReasons.set(id, 'system');
  for (const [id, reason] of [...fixedReasons].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const record = catalog.record(id) ?? store.getRecord(id);
    if (record === undefined)
      throw new Llm386Error('block-not-found', `required block ${id} does not exist: check the id`);
    if (!candidates.has(id)) candidates.set(id, candidateOf(ctx, record, undefined));
    if (ctx.selected.has(id)) continue;
    const unit = unitFor(ctx, record, reason);
    if (unit === 'pair-incomplete' || unit === 'duplicate') {
      if (reason === 'required')
        throw new Llm386Error('invalid-input', `required block ${id} cannot be rendered: ${unit}`);
      continue;
    }
    const corrupt = ctx.corruptMember(unit.members);
    if (corrupt !== undefined) {
      if (reason === 'required')
        throw new Llm386Error(
          'store-corrupt',
          `required block ${id} cannot be sent: the stored bytes of ${corrupt} no longer match their hash: run \`llm386 verify\``,
        );
      ctx.omit(candidates.get(id) as Candidate, 'system', 'body-corrupt', unit.cost, 0, undefined);
      continue;
    }
    fixed += commit(ctx, unit.members, 'system');
  }
  if (fixed > budget) {
    throw new Llm386Error(
      'budget-exceeded',
      `the task, required and System blocks need ${fixed} tokens but the input budget is ${budget}: raise --budget, pick a larger model, or require fewer blocks`,
      { details: { needed: fixed, budget } },
    );
  }

  // 3. Split the rest across sections by fraction.
  allocate(ctx, budget, fixed);
  timings.allocate = performance.now() - t;
  t = performance.now();

  // 4-7. Fill: the conversation window first, then each section by score per token (fill.ts).
  const window = fill(ctx, session);
  timings.fill = performance.now() - t;

  t = performance.now();
  // The exact count of the rendering; over budget only where o200k joins segments (trim.ts).
  let exact: ExactCount | undefined;
  if (ctx.mode !== 'bound') {
    exact = fitExact(ctx, taskCost, budget);
    timings.count = performance.now() - t;
  }

  t = performance.now();
  const plan = toPlan(ctx, {
    session,
    task: request.task,
    now,
    model: request.model,
    budget,
    overhead,
    sectionOverhead,
    runs,
    timings,
    watermark,
    watermarkSeq: snapshot.watermarkSeq,
    window,
    exact,
    rendering,
  });
  // The plan shares this object: building the records of every decision is a stage of its own.
  timings.plan = performance.now() - t;
  ctx.costs.flushTokenCounts();
  timings.total = performance.now() - t0;
  return plan;
}

function withScale(run: RetrieverRun, scale: FusionScale | undefined): RetrieverRun {
  if (scale === undefined) return run;
  return { ...run, role: scale.role, top: scale.top, flat: scale.flat };
}

/**
 * {@link page}, then every selected body checked against its hash (each body once per open
 * store); when one fails, the store remembers it and the call is paged again without it (omitted
 * as `body-corrupt`). For callers that show a plan without packing it (`llm386 page`, the
 * inspector); packing checks the bodies it reads itself.
 */
export async function pageChecked(
  store: Store,
  request: PageRequest,
  policy: PagePolicy,
  options: { clock?: Clock } = {},
): Promise<Plan> {
  for (let attempt = 0; ; attempt++) {
    const plan = await page(store, request, policy, options);
    if (attempt >= 16 || plan.selected.every((s) => store.bodyIntact(s.hash))) return plan;
  }
}
