import { Llm386Error, parseSession, systemClock, type Clock, type Section } from '../base/index';
import { inputBudget, MAX_BUDGET_TOKENS } from '../config/index';
import { Catalog } from '../retrievers/index';
import type { Store } from '../store/index';
import { addCandidates } from './candidates';
import { warmLineCounts } from './costs';
import { costMode, type ExactCount } from './exact';
import { allocate, fill } from './fill';
import { chargeFixed } from './fixed';
import { PageContext } from './page-context';
import type { Plan, Rendering } from './plan';
import type { PagePolicy, PageRequest } from './request';
import { fuse, runRetrievers } from './retrieve';
import type { FusionMode } from './scores';
import { snapshotOf } from './snapshot';
import { toPlan } from './to-plan';
import { fitExact } from './trim';

/** Fills again after the exact count found joins the budget cannot hold (see `page`). */
const MAX_REFILLS = 12;

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
  const poolBlocks = catalog.pool(pool);
  warmLineCounts(store, catalog, request.model.tokenizer, poolBlocks);
  const snapshot = snapshotOf(store, catalog, pool, request);

  // 1. Retrievers, concurrently (retrieve.ts); fuse their scores into candidates (candidates.ts).
  const timings: Record<string, number> = {};
  const call = { session, pool, now, snapshot };
  const { runs, outputs } = await runRetrievers(store, catalog, request, policy, call, timings);
  let t = performance.now();
  // A trace recorded before fusion modes existed has no `fusion`: it was paged by `max`.
  const fusion: FusionMode = (policy.pager.fusion as FusionMode | undefined) ?? 'max';
  const merged = fuse(outputs, runs, fusion, snapshot.poolSize);
  // A trace recorded before plans had a rendering has no `accounting`: it was charged as `bound`.
  const accounting = (policy.pager.accounting as 'exact' | 'bound' | undefined) ?? 'bound';
  const rendering: Rendering | undefined =
    accounting === 'exact' ? (request.rendering ?? 'string') : undefined;
  const stable = new Set<Section>(policy.stableSections ?? ['system', 'background']);
  // Where o200k joins segments the exact count can pass the budget with nothing left that may
  // leave alone (a unit of dependencies, say): the call is filled again with tokens kept back
  // from the sections, twice as many each time, until it fits or only the fixed charges are left.
  let reserve = 0;
  for (let attempt = 0; ; attempt++) {
    const ctx = new PageContext(
      store,
      catalog,
      request.model.tokenizer,
      policy,
      now,
      snapshot.visible,
      snapshot.live,
      fusion,
      request.model.supportsTools,
      costMode(rendering),
      stable,
    );
    ctx.edges.edgeSeq = snapshot.edgeSeq;
    ctx.edges.existed = snapshot.existed;
    ctx.costs.warm(catalog, poolBlocks);
    addCandidates(ctx, merged, poolBlocks);
    timings.merge = performance.now() - t;
    t = performance.now();

    // 2. Fixed charges: task and framing, required and System blocks (fixed.ts).
    const fixed = chargeFixed(ctx, request, pool, budget);
    // 3. Split the rest across sections by fraction.
    allocate(ctx, budget, Math.min(budget, fixed.total + reserve));
    timings.allocate = performance.now() - t;
    t = performance.now();

    // 4-7. Fill: the conversation window first, then each section by score per token (fill.ts).
    const window = fill(ctx, session);
    timings.fill = performance.now() - t;

    t = performance.now();
    // The exact count of the rendering; over budget only where o200k joins segments (trim.ts).
    let exact: ExactCount | undefined;
    if (ctx.mode !== 'bound') {
      const fit = fitExact(ctx, fixed.taskTokens, budget);
      timings.count = performance.now() - t;
      if ('over' in fit) {
        ctx.costs.flushTokenCounts();
        if (attempt >= MAX_REFILLS || fixed.total + reserve >= budget)
          throw new Llm386Error(
            'budget-exceeded',
            `the prompt needs ${fit.total} tokens but the input budget is ${budget}, and nothing more can be left out: raise --budget or require fewer blocks`,
            { details: { needed: fit.total, budget } },
          );
        // Doubling: what must leave (a whole unit) can need far more than the overrun.
        reserve += Math.max(fit.over, reserve);
        t = performance.now();
        continue;
      }
      exact = fit;
    }

    t = performance.now();
    const plan = toPlan(ctx, {
      session,
      task: request.task,
      now,
      model: request.model,
      budget,
      overhead: fixed.overhead,
      sectionOverhead: fixed.sectionOverhead,
      runs,
      timings,
      watermark: snapshot.watermark,
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
