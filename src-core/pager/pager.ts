import {
  KIND_SECTION,
  Llm386Error,
  lookupSet,
  parseBlockId,
  parseSession,
  systemClock,
  type BlockId,
  type Clock,
  type Section,
} from '../base/index';
import { inputBudget, MAX_BUDGET_TOKENS, type ModelProfile } from '../config/index';
import {
  blockLabel,
  CHAT_FIXED_OVERHEAD,
  CHAT_MESSAGE_FRAMING,
  CHAT_PRIMING,
  chatPrefix,
  SegmentCounter,
  sectionHeader,
  taskSegment,
  toolCallLines,
} from '../packer/format';
import { Catalog } from '../retrievers/index';
import { blockLine, type BlockRecord, type Store } from '../store/index';
import type { TokenizerId } from '../tokenizer/index';
import { costMode, exactCount, type CostMode, type ExactCount } from './exact';
import type {
  OmittedBlock,
  OmitReason,
  Plan,
  Rendering,
  RetrieverRun,
  RetrieverScore,
  SectionPlan,
  SelectedBlock,
  SelectReason,
} from './plan';
import type { PagePolicy, PageRequest } from './request';
import {
  FILL_SECTIONS,
  FIRST_PASS,
  MESSAGE_KINDS,
  SEED_SPILL_ORDER,
  SPILL_ORDER,
  type FillSection,
} from './sections';
import { BlockCosts, warmLineCounts } from './costs';
import { EdgeView } from './edges';
import { NearDuplicates } from './near-duplicates';
import { snapshotOf } from './snapshot';
import {
  FUSION_FORMULAS,
  RELEVANCE_FLOOR,
  mergeUnordered,
  type FusionMode,
  type FusionScale,
  type MergedScore,
  type RetrieverOutput,
} from './scores';

const MAX_UNIT = 64;
/** Kinds rendered with a role label (`blockLabel`): their line never starts a segment. */
const LABELLED_KINDS = lookupSet<string>(['user-message', 'assistant-message', 'tool-result']);

interface Candidate {
  readonly id: BlockId;
  readonly record: BlockRecord;
  readonly score: number;
  readonly retrievers: Record<string, RetrieverScore>;
  /** Tokens the block adds (`PageContext.cost`), read once per call. */
  readonly cost: number;
  /** Score per token: `score / max(1, cost)`, the order of the section queues. */
  readonly density: number;
  /** True when the block travels alone (see `PageContext.travelsAlone`). */
  readonly alone: boolean;
  /**
   * Mirrors the plan maps for this candidate, so the hot loops test a field instead of two map
   * lookups: selected (`PageContext.selected` has it), omitted (only `omitted` has it), or open.
   */
  state: CandidateState;
}

const enum CandidateState {
  Open = 0,
  Selected = 1,
  Omitted = 2,
}

interface Choice {
  readonly id: BlockId;
  readonly record: BlockRecord;
  readonly reason: SelectReason;
  readonly via: BlockId | undefined;
}

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
  // Unordered: nothing below depends on the candidates' order (queues sort by a total order,
  // the plan's lists are sorted by id).
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
  for (const m of merged.values()) {
    if (!visible(m.id)) continue;
    const record = catalog.record(m.id);
    if (record === undefined) continue; // deleted since the retriever's index saw it
    candidates.set(m.id, ctx.candidate(record, m));
  }
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
  const fixedUnits: Choice[] = [];
  for (const [id, reason] of [...fixedReasons].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const record = catalog.record(id) ?? store.getRecord(id);
    if (record === undefined)
      throw new Llm386Error('block-not-found', `required block ${id} does not exist: check the id`);
    if (!candidates.has(id)) candidates.set(id, ctx.candidate(record, undefined));
    if (ctx.selected.has(id)) continue;
    const unit = ctx.unitFor(record, reason);
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
    fixedUnits.push(...unit.members);
    fixed += ctx.commit(unit.members, 'system');
  }
  if (fixed > budget) {
    throw new Llm386Error(
      'budget-exceeded',
      `the task, required and System blocks need ${fixed} tokens but the input budget is ${budget}: raise --budget, pick a larger model, or require fewer blocks`,
      { details: { needed: fixed, budget } },
    );
  }

  // 3. Split the rest across sections by fraction.
  const rest = budget - fixed;
  ctx.fixedCharged = fixed;
  ctx.budget = budget;
  const alloc = new Map<FillSection, number>();
  for (const s of FILL_SECTIONS) alloc.set(s, Math.floor(rest * policy.sectionBudgets[s]));
  for (const s of FILL_SECTIONS) ctx.allocated.set(s, alloc.get(s) ?? 0);
  timings.allocate = performance.now() - t;
  t = performance.now();

  // 4-7. Fill: the conversation window first, then each section by score per token.
  const window = new ConversationWindow(ctx, session);
  const pending = new Map<FillSection, Candidate[]>();
  let bySection: Map<Section, Candidate[]> | undefined;
  for (const s of FIRST_PASS) {
    if (s === 'recent') {
      window.fill(candidates, 0);
      continue;
    }
    // After the window's first fill, a candidate's section no longer changes: sort them once.
    bySection ??= sectionsOf(candidates, ctx, window);
    const queue = sectionQueue(bySection.get(s) ?? []);
    pending.set(s, ctx.fillSection(s, queue, 0));
  }
  if (policy.pager.spill) {
    // What each section left unused, handed out in order to the sections that take spill (`spillFrom`).
    const unused = new Map<FillSection, number>(
      FILL_SECTIONS.map((s) => [
        s,
        Math.max(0, (ctx.allocated.get(s) ?? 0) - (ctx.used.get(s) ?? 0)),
      ]),
    );
    let spare = [...unused.values()].reduce((a, b) => a + b, 0);
    for (const s of fusion === 'max' ? SEED_SPILL_ORDER : SPILL_ORDER) {
      if (spare <= 0) break;
      const before = ctx.used.get(s) ?? 0;
      const extra = spare + (ctx.used.get(s) ?? 0) - (ctx.allocated.get(s) ?? 0);
      if (extra <= 0) continue;
      if (s === 'recent') window.fill(candidates, extra);
      else pending.set(s, ctx.fillSection(s, pending.get(s) ?? [], extra));
      const took = Math.max(
        0,
        (ctx.used.get(s) ?? 0) - Math.max(before, ctx.allocated.get(s) ?? 0),
      );
      ctx.spill.set(s, took);
      spare -= (ctx.used.get(s) ?? 0) - before;
      unused.set(s, Math.max(0, (unused.get(s) ?? 0) - ((ctx.used.get(s) ?? 0) - before - took)));
      let owed = took;
      for (const d of FILL_SECTIONS) {
        if (owed <= 0) break;
        const give = d === s ? 0 : Math.min(owed, unused.get(d) ?? 0);
        if (give <= 0) continue;
        unused.set(d, (unused.get(d) ?? 0) - give);
        owed -= give;
        const from = ctx.spillFrom.get(s) ?? {};
        from[d] = give;
        ctx.spillFrom.set(s, from);
      }
    }
  }
  // Newest messages that another section took on their score belong to the conversation: at a
  // tight budget the window can stop before the question just asked, which Retrieved then took.
  if (fusion === 'relevance') window.adoptSelected();
  // Whatever is still waiting did not fit.
  const spillReason: OmitReason = policy.pager.spill ? 'global-budget' : 'section-budget';
  for (const [s, queue] of pending) for (const c of queue) ctx.omitFit(c, s, spillReason);
  window.finish(candidates, spillReason);
  for (const c of candidates.values())
    if (c.state === CandidateState.Open)
      ctx.omit(c, ctx.sectionOf(c.record, window), 'low-score', c.cost, 0, undefined);
  timings.fill = performance.now() - t;

  t = performance.now();
  // The exact count of the rendering; over budget only where o200k joins segments (see exact.ts).
  let exact: ExactCount | undefined;
  if (ctx.mode !== 'bound') {
    exact = ctx.exact(taskCost);
    while (exact.total > budget) {
      if (!ctx.trimOne(exact.total - budget))
        throw new Error(
          `invariant violated: the rendering needs ${exact.total} tokens over budget ${budget} and nothing can be dropped`,
        );
      exact = ctx.exact(taskCost);
    }
    timings.count = performance.now() - t;
  }

  t = performance.now();
  const plan = ctx.toPlan({
    session,
    task: request.task,
    now,
    model: request.model,
    budget,
    fixed,
    overhead,
    sectionOverhead,
    runs,
    timings,
    watermark,
    watermarkSeq: snapshot.watermarkSeq,
    candidates,
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

/** Candidates with a positive score outside the conversation window, by the section they render in. */
function sectionsOf(
  candidates: Map<BlockId, Candidate>,
  ctx: PageContext,
  window: ConversationWindow,
): Map<Section, Candidate[]> {
  const out = new Map<Section, Candidate[]>();
  let best = 0;
  if (ctx.fusion === 'relevance')
    for (const c of candidates.values()) if (c.score > best) best = c.score;
  const min = RELEVANCE_FLOOR * best;
  for (const c of candidates.values()) {
    // Messages the window took are selected: their state keeps them out of every queue.
    if (c.score <= 0 || c.score < min || c.state === CandidateState.Selected) continue;
    const section = ctx.sectionOf(c.record, window);
    const list = out.get(section);
    if (list === undefined) out.set(section, [c]);
    else list.push(c);
  }
  return out;
}

/** A section's queue: its candidates not yet decided, best score per token first. */
function sectionQueue(inSection: readonly Candidate[]): Candidate[] {
  const queue: Candidate[] = [];
  for (const c of inSection) if (c.state === CandidateState.Open) queue.push(c);
  return queue.sort(byDensity);
}

/**
 * Best score per token first; ties by score, then the newer id. Answers -1, 0 or 1 (a fractional
 * difference would be a heap number allocated on every comparison).
 */
function byDensity(a: Candidate, b: Candidate): number {
  if (a.density > b.density) return -1;
  if (a.density < b.density) return 1;
  if (a.score > b.score) return -1;
  if (a.score < b.score) return 1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

interface Unit {
  readonly members: Choice[];
  readonly cost: number;
}

/** The mutable state of one page call. */
class PageContext {
  readonly counter: SegmentCounter;
  /** Every candidate of the call, by id. */
  readonly candidates = new Map<BlockId, Candidate>();
  readonly selected = new Map<
    BlockId,
    {
      choice: Choice;
      section: Section;
      tokens: number;
      placement: 'conversation' | 'text';
      caller: BlockId | undefined;
    }
  >();
  readonly omitted = new Map<BlockId, OmittedBlock>();
  readonly hashes = new Map<string, BlockId>();
  readonly allocated = new Map<Section, number>();
  readonly used = new Map<Section, number>();
  readonly spill = new Map<Section, number>();
  readonly lastTaken = new Map<Section, BlockId>();
  /** Per section that took spill: the sections whose unused allocation it took, tokens each. */
  readonly spillFrom = new Map<Section, Partial<Record<Section, number>>>();
  /** The input budget and what the fixed charges took of it (set before the fill). */
  budget = 0;
  fixedCharged = 0;
  /** Rendered groups already charged for (exact modes): section headers by section, chat messages as `m:system` / `m:context`. */
  private readonly open = new Set<string>();
  /** What blocks cost in the call's rendering. */
  readonly costs: BlockCosts;
  /** The edges the call can see. */
  readonly edges: EdgeView;
  /** Selected blocks' word sets, for the near-duplicate test. */
  private readonly near: NearDuplicates;
  /** Caller -> tool results selected with it, so re-placing a caller is not a scan of the plan. */
  private readonly resultsOf = new Map<BlockId, BlockId[]>();
  private window: ConversationWindow | undefined;

  constructor(
    readonly store: Store,
    readonly catalog: Catalog,
    readonly tokenizer: TokenizerId,
    readonly policy: PagePolicy,
    readonly now: number,
    readonly visible: (id: BlockId) => boolean,
    /** No watermark: every edge is visible, so edge lists are used as the index holds them. */
    allVisible: boolean,
    readonly fusion: FusionMode,
    /** False: tool calls and results are sent as plain messages (see `plainToolMessage`). */
    readonly supportsTools: boolean,
    /** What a block costs: in the plan's rendering, or `bound` (the larger of string and chat). */
    readonly mode: CostMode,
    /** Sections the chat rendering sends in its system message. */
    readonly stable: ReadonlySet<Section>,
  ) {
    this.costs = new BlockCosts(store, tokenizer, policy.includeTimestamps, supportsTools, mode);
    this.counter = this.costs.counter;
    this.edges = new EdgeView(store, allVisible);
    this.near = new NearDuplicates(store, policy.pager.redundancyThreshold);
  }

  /** A candidate for a block (its cost and state read now). */
  candidate(record: BlockRecord, merged: MergedScore | undefined): Candidate {
    const id = record.id;
    const state = this.selected.has(id)
      ? CandidateState.Selected
      : this.omitted.has(id)
        ? CandidateState.Omitted
        : CandidateState.Open;
    const score = (merged?.fused ?? 0) + this.policy.pager.priorityWeight * record.priority;
    const cost = this.costs.cost(record);
    return {
      id,
      record,
      score,
      retrievers: merged?.retrievers ?? {},
      cost,
      density: score / Math.max(1, cost),
      alone: this.travelsAlone(record),
      state,
    };
  }

  /** No tool calls, not a tool result, no dependencies to follow: its unit is itself. */
  travelsAlone(record: BlockRecord): boolean {
    return (
      record.toolCalls === undefined &&
      record.kind !== 'tool-result' &&
      (!this.policy.pager.includeDependencies || this.edges.out(record.id).length === 0)
    );
  }

  attachWindow(window: ConversationWindow): void {
    this.window = window;
  }

  /** The section a block renders in: its kind's, except messages outside the conversation window. */
  sectionOf(record: BlockRecord, window: ConversationWindow | undefined): Section {
    const home = KIND_SECTION[record.kind];
    if (home !== 'recent') return home;
    if (window?.covers(record.id) === true) return 'recent';
    return record.toolCalls !== undefined ? 'tools' : 'retrieved';
  }

  /** Tool results answering an assistant message (tool-invocation edges, else matching call ids). */
  toolResults(record: BlockRecord): BlockId[] | 'missing' {
    const calls = record.toolCalls ?? [];
    if (calls.length === 0) return [];
    const results: BlockId[] = [];
    for (const e of this.edges.out(record.id)) if (e.kind === 'tool-invocation') results.push(e.id);
    const answered = new Set(
      results.map(
        (id) => this.catalog.record(id)?.toolCallId ?? this.store.getRecord(id)?.toolCallId,
      ),
    );
    for (const call of calls) if (!answered.has(call.id)) return 'missing';
    return results.sort();
  }

  /** The assistant message that called a tool result, if any. */
  callerOf(record: BlockRecord): BlockId | undefined {
    if (record.kind !== 'tool-result') return undefined;
    for (const e of this.edges.in(record.id)) {
      if (e.kind !== 'tool-invocation') continue;
      // Only a caller that made this call pairs with it (stores from before add-edge checked
      // pairs may hold others): an unpaired result is never rendered as a tool message.
      const caller = this.recordOf(e.id);
      if (caller?.toolCalls?.some((c) => c.id === record.toolCallId) === true) return e.id;
    }
    return undefined;
  }

  recordOf(id: BlockId): BlockRecord | undefined {
    return this.catalog.record(id) ?? this.store.getRecord(id);
  }

  /**
   * A block with everything that must travel with it: its tool-call partners and, with
   * `includeDependencies`, the transitive closure of its `parent` and `derived-from` edges (a
   * summary's `derived-from` edges name what it replaces, so they are not followed). Members
   * already selected, or whose text is already selected, cost nothing.
   */
  unitFor(root: BlockRecord, reason: SelectReason): Unit | 'pair-incomplete' | 'duplicate' {
    const dupOf = this.hashes.get(root.hash);
    if (dupOf !== undefined && dupOf !== root.id) return 'duplicate';
    // Most blocks travel alone: no tool calls, not a tool result, no dependencies to follow.
    if (this.travelsAlone(root)) {
      return {
        members: [{ id: root.id, record: root, reason, via: undefined }],
        cost: this.costs.cost(root),
      };
    }
    const members: Choice[] = [{ id: root.id, record: root, reason, via: undefined }];
    const seen = new Set<BlockId>([root.id]);
    let cost = this.costs.cost(root);
    const unitHashes = new Set<string>([root.hash]);
    for (let i = 0; i < members.length; i++) {
      const m = members[i];
      if (m === undefined) break;
      const pulls: { id: BlockId; reason: SelectReason; strict: boolean }[] = [];
      const results = this.toolResults(m.record);
      if (results === 'missing') return 'pair-incomplete';
      for (const id of results) pulls.push({ id, reason: 'tool-pair', strict: true });
      const caller = this.callerOf(m.record);
      if (caller !== undefined) pulls.push({ id: caller, reason: 'tool-pair', strict: true });
      else if (m.record.kind === 'tool-result') return 'pair-incomplete';
      if (this.policy.pager.includeDependencies) {
        for (const e of this.edges.out(m.id)) {
          if (e.kind === 'parent' || (e.kind === 'derived-from' && m.record.kind !== 'summary'))
            pulls.push({ id: e.id, reason: 'dependency', strict: false });
        }
      }
      for (const pull of pulls) {
        if (seen.has(pull.id) || this.selected.has(pull.id)) continue;
        seen.add(pull.id);
        const record = this.recordOf(pull.id);
        if (record === undefined) return 'pair-incomplete';
        const dup =
          this.hashes.get(record.hash) ?? (unitHashes.has(record.hash) ? record.id : undefined);
        if (dup !== undefined) {
          // Its text is already in the prompt: a dependency is satisfied, a tool pair is not.
          if (pull.strict) return 'pair-incomplete';
          continue;
        }
        unitHashes.add(record.hash);
        members.push({ id: pull.id, record, reason: pull.reason, via: m.id });
        cost += this.costs.cost(record);
        if (members.length > MAX_UNIT) return 'pair-incomplete';
      }
    }
    return { members, cost };
  }

  /** Where a member of a unit renders; `windowRoot`: a message about to join the conversation window. */
  private placeOf(
    m: Choice,
    windowRoot: BlockId | undefined,
  ): { section: Section; placement: 'conversation' | 'text'; caller: BlockId | undefined } {
    const inWindow = m.id === windowRoot || this.window?.covers(m.id) === true;
    const caller = this.callerOf(m.record);
    const conversation =
      inWindow ||
      (m.record.kind === 'tool-result' &&
        caller !== undefined &&
        (caller === windowRoot || this.window?.covers(caller) === true));
    const section =
      conversation && m.record.kind === 'tool-result'
        ? 'tools'
        : inWindow
          ? 'recent'
          : this.sectionOf(m.record, this.window);
    return { section, placement: conversation ? 'conversation' : 'text', caller };
  }

  /**
   * Tokens a block's placement opens in the rendering: a section header with its first block and,
   * in chat, the framing of the system or context message. `seen` collects what a unit opens.
   */
  private opening(
    section: Section,
    placement: 'conversation' | 'text',
    seen: Set<string> | undefined,
  ): number {
    if (this.mode === 'bound' || (this.mode === 'chat' && placement === 'conversation')) return 0;
    const rendered = placement === 'conversation' ? 'recent' : section;
    let cost = 0;
    if (!this.open.has(rendered) && seen?.has(rendered) !== true) {
      cost += this.counter.count(sectionHeader(rendered));
      seen?.add(rendered);
    }
    if (this.mode === 'chat') {
      const message = this.stable.has(section) ? 'm:system' : 'm:context';
      if (!this.open.has(message) && seen?.has(message) !== true) {
        cost += CHAT_MESSAGE_FRAMING;
        seen?.add(message);
      }
    }
    return cost;
  }

  /** Tokens a block taken alone as text into `section` is charged: its cost and what it opens. */
  chargeAlone(c: Candidate, section: Section): number {
    return this.mode === 'bound' ? c.cost : c.cost + this.opening(section, 'text', undefined);
  }

  /** Tokens a unit is charged as it would be placed (`windowRoot`: the message joining the window). */
  charge(members: readonly Choice[], windowRoot: BlockId | undefined, fallback: number): number {
    if (this.mode === 'bound') return fallback;
    const only = members.length === 1 ? members[0] : undefined;
    if (only !== undefined) {
      // Most units are one block (a message of the window): no set of what it opens.
      const p = this.placeOf(only, windowRoot);
      return (
        (p.placement === 'conversation'
          ? this.costs.messageCost(only.record)
          : this.costs.cost(only.record)) + this.opening(p.section, p.placement, undefined)
      );
    }
    const seen = new Set<string>();
    let total = 0;
    for (const m of members) {
      const p = this.placeOf(m, windowRoot);
      total +=
        (p.placement === 'conversation'
          ? this.costs.messageCost(m.record)
          : this.costs.cost(m.record)) + this.opening(p.section, p.placement, seen);
    }
    return total;
  }

  /**
   * Tokens a selected message adds when it joins the conversation: in `string`, the Recent header
   * if nothing rendered there yet; in `chat` nothing (it was charged at least its message).
   */
  joinCost(): number {
    return this.mode === 'string' && !this.open.has('recent')
      ? this.counter.count(sectionHeader('recent'))
      : 0;
  }

  /** Charges {@link joinCost} to a section. */
  chargeJoin(section: Section, tokens: number): void {
    if (tokens === 0) return;
    this.open.add('recent');
    this.used.set(section, (this.used.get(section) ?? 0) + tokens);
  }

  /** Budget not charged to anything yet. */
  globalLeft(): number {
    let used = this.fixedCharged;
    for (const s of FILL_SECTIONS) used += this.used.get(s) ?? 0;
    return this.budget - used;
  }

  /** Selects a unit and charges it to `chargedTo`; returns the tokens charged. */
  commit(members: readonly Choice[], chargedTo: Section): number {
    let total = 0;
    for (const m of members) {
      const { section, placement, caller } = this.placeOf(m, undefined);
      const tokens =
        placement === 'conversation' ? this.costs.messageCost(m.record) : this.costs.cost(m.record);
      total += tokens;
      if (this.mode !== 'bound') {
        total += this.opening(section, placement, this.open);
      }
      this.selected.set(m.id, { choice: m, section, tokens, placement, caller });
      if (caller !== undefined) {
        const list = this.resultsOf.get(caller);
        if (list === undefined) this.resultsOf.set(caller, [m.id]);
        else list.push(m.id);
      }
      this.hashes.set(m.record.hash, m.id);
      this.omitted.delete(m.id);
      const c = this.candidates.get(m.id);
      if (c !== undefined) c.state = CandidateState.Selected;
    }
    this.used.set(chargedTo, (this.used.get(chargedTo) ?? 0) + total);
    const root = members[0];
    if (root !== undefined) this.lastTaken.set(chargedTo, root.id);
    return total;
  }

  /** Re-places a selected message (and the tool results it called) into the conversation. */
  moveToConversation(id: BlockId): void {
    const s = this.selected.get(id);
    if (s === undefined) return;
    this.selected.set(id, { ...s, section: 'recent', placement: 'conversation' });
    for (const rid of this.resultsOf.get(id) ?? []) {
      const r = this.selected.get(rid);
      if (r !== undefined)
        this.selected.set(rid, { ...r, section: 'tools', placement: 'conversation' });
    }
  }

  left(section: Section, extra: number): number {
    return (this.allocated.get(section) ?? 0) + extra - (this.used.get(section) ?? 0);
  }

  omit(
    c: Candidate,
    section: Section,
    reason: OmitReason,
    needed: number,
    left: number,
    by: BlockId | undefined,
  ): void {
    if (c.state === CandidateState.Open) c.state = CandidateState.Omitted;
    // Literals rather than a conditional spread: thousands per call, and the key order is the plan's.
    const kind = c.record.kind;
    this.omitted.set(
      c.id,
      by === undefined
        ? {
            id: c.id,
            kind,
            section,
            reason,
            score: c.score,
            tokensNeeded: needed,
            tokensLeft: left,
            retrievers: c.retrievers,
          }
        : {
            id: c.id,
            kind,
            section,
            reason,
            score: c.score,
            tokensNeeded: needed,
            tokensLeft: left,
            displacedBy: by,
            retrievers: c.retrievers,
          },
    );
  }

  /**
   * The first member whose stored bytes are known not to match their hash, if any (such a body is
   * never sent). Bytes are checked where they are read for a prompt (`Store.promptText`, the
   * packer) and by `pageChecked`; this is a lookup, so paging pays nothing for it.
   */
  corruptMember(members: readonly Choice[]): BlockId | undefined {
    for (const m of members) if (this.store.knownCorrupt(m.record.hash)) return m.id;
    return undefined;
  }

  /** Records a candidate that did not fit, with what it needed and what was left. */
  omitFit(c: Candidate, section: FillSection, reason: OmitReason): void {
    if (c.state === CandidateState.Selected) return;
    let needed = c.cost;
    if (!c.alone) {
      const unit = this.unitFor(c.record, 'relevance');
      if (typeof unit !== 'string') needed = unit.cost;
    }
    this.omit(
      c,
      section,
      reason,
      needed,
      Math.max(0, this.left(section, this.spill.get(section) ?? 0)),
      this.lastTaken.get(section),
    );
  }

  /** Tries a candidate against a section's budget; on failure tries a summary that covers it. */
  tryTake(c: Candidate, section: FillSection, extra: number): 'taken' | 'skipped' | 'no-room' {
    if (c.state === CandidateState.Selected) return 'taken';
    if (c.alone) return this.tryTakeAlone(c, section, extra);
    const unit = this.unitFor(c.record, reasonFor(c));
    if (unit === 'duplicate') {
      this.omit(
        c,
        section,
        'duplicate',
        this.costs.cost(c.record),
        this.left(section, extra),
        this.hashes.get(c.record.hash),
      );
      return 'skipped';
    }
    if (unit === 'pair-incomplete') {
      this.omit(
        c,
        section,
        'pair-incomplete',
        this.costs.cost(c.record),
        this.left(section, extra),
        undefined,
      );
      return 'skipped';
    }
    const near = this.near.find(c.record, this.selected);
    if (near !== undefined) {
      this.omit(c, section, 'duplicate', unit.cost, this.left(section, extra), near);
      return 'skipped';
    }
    if (this.charge(unit.members, undefined, unit.cost) <= this.left(section, extra)) {
      if (this.corruptMember(unit.members) !== undefined) {
        this.omit(c, section, 'body-corrupt', unit.cost, this.left(section, extra), undefined);
        return 'skipped';
      }
      this.commit(unit.members, section);
      return 'taken';
    }
    if (this.substituteSummary(c, section, extra)) return 'skipped';
    return 'no-room';
  }

  /** {@link tryTake} for a block that travels alone: the same steps without building a unit. */
  private tryTakeAlone(
    c: Candidate,
    section: FillSection,
    extra: number,
  ): 'taken' | 'skipped' | 'no-room' {
    const dupOf = this.hashes.get(c.record.hash);
    if (dupOf !== undefined && dupOf !== c.id) {
      this.omit(c, section, 'duplicate', c.cost, this.left(section, extra), dupOf);
      return 'skipped';
    }
    const near = this.near.find(c.record, this.selected);
    if (near !== undefined) {
      this.omit(c, section, 'duplicate', c.cost, this.left(section, extra), near);
      return 'skipped';
    }
    if (this.chargeAlone(c, section) <= this.left(section, extra)) {
      if (this.store.knownCorrupt(c.record.hash)) {
        this.omit(c, section, 'body-corrupt', c.cost, this.left(section, extra), undefined);
        return 'skipped';
      }
      this.commit([{ id: c.id, record: c.record, reason: reasonFor(c), via: undefined }], section);
      return 'taken';
    }
    if (this.substituteSummary(c, section, extra)) return 'skipped';
    return 'no-room';
  }

  /** Summary substitution: a selected or fitting summary `derived-from` the block replaces it. */
  substituteSummary(c: Candidate, section: FillSection, extra: number): boolean {
    if (!this.policy.pager.summarySubstitution) return false;
    const incoming = this.edges.in(c.id);
    if (incoming.length === 0) return false;
    const summaries = incoming
      .filter((e) => e.kind === 'derived-from')
      .map((e) => this.recordOf(e.id))
      .filter((r): r is BlockRecord => r !== undefined && r.kind === 'summary')
      .sort((a, b) => (a.id < b.id ? 1 : -1));
    for (const s of summaries) {
      if (this.selected.has(s.id)) {
        this.omit(
          c,
          section,
          'replaced-by-summary',
          this.costs.cost(c.record),
          this.left(section, extra),
          s.id,
        );
        return true;
      }
    }
    for (const s of summaries) {
      const unit = this.unitFor(s, 'summary-substitute');
      if (
        typeof unit === 'string' ||
        this.charge(unit.members, undefined, unit.cost) > this.left(section, extra) ||
        this.corruptMember(unit.members) !== undefined
      )
        continue;
      const root = unit.members[0];
      if (root !== undefined) unit.members[0] = { ...root, via: c.id };
      this.commit(unit.members, section);
      this.omit(
        c,
        section,
        'replaced-by-summary',
        this.costs.cost(c.record),
        this.left(section, extra),
        s.id,
      );
      return true;
    }
    return false;
  }

  /** Fills a section from its queue; returns the candidates that did not fit, in order. */
  fillSection(section: FillSection, queue: readonly Candidate[], extra: number): Candidate[] {
    const waiting: Candidate[] = [];
    for (const c of queue) {
      if (c.state === CandidateState.Selected) continue;
      const r = this.tryTake(c, section, extra);
      if (r === 'no-room') waiting.push(c);
    }
    return waiting;
  }

  /** The exact count of the rendering the current selection packs into (in any order). */
  exact(taskTokens: number): ExactCount {
    const ts = this.policy.includeTimestamps;
    return exactCount(this.selected.values(), {
      mode: this.mode === 'chat' ? 'chat' : 'string',
      counter: this.counter,
      stable: this.stable,
      taskTokens,
      textTokens: (r) => this.costs.textCost(r),
      messageTokens: (r) => this.costs.messageCost(r),
      labelled: (r) => ts || LABELLED_KINDS.has(r.kind),
      textPrefix: (r) => blockLabel(r, ts),
      messagePrefix: (r) => chatPrefix(r, ts, this.supportsTools),
      textRender: (r) =>
        blockLabel(r, ts) +
        blockLine(this.store.text(r)) +
        (r.toolCalls === undefined ? '' : toolCallLines(r)),
      lineTokens: (r) => this.costs.lineTokens(r),
      store: this.store,
    });
  }

  /**
   * Drops the lowest-scored block that can leave on its own (taken as text for its score, nothing
   * selected depends on it), omitted as `global-budget`: the last resort when joins made the exact
   * count exceed the budget by `over` tokens. False when no block can leave.
   */
  trimOne(over: number): boolean {
    let victim: { id: BlockId; c: Candidate; section: Section; tokens: number } | undefined;
    for (const [id, s] of this.selected) {
      const c = this.candidates.get(id);
      if (
        c === undefined ||
        s.placement !== 'text' ||
        s.choice.reason === 'required' ||
        s.choice.reason === 'system' ||
        s.choice.reason === 'summary-substitute'
      )
        continue;
      if (!this.travelsAlone(s.choice.record)) continue;
      if (
        this.edges
          .in(id)
          .some(
            (e) => (e.kind === 'parent' || e.kind === 'derived-from') && this.selected.has(e.id),
          )
      )
        continue;
      if (
        victim === undefined ||
        c.score < victim.c.score ||
        (c.score === victim.c.score && id < victim.id)
      )
        victim = { id, c, section: s.section, tokens: s.tokens };
    }
    if (victim === undefined) return false;
    this.selected.delete(victim.id);
    this.hashes.delete(victim.c.record.hash);
    victim.c.state = CandidateState.Open;
    this.omit(
      victim.c,
      victim.section,
      'global-budget',
      victim.tokens,
      Math.max(0, victim.tokens - over),
      undefined,
    );
    return true;
  }

  toPlan(args: {
    session: string;
    task: string;
    now: number;
    model: ModelProfile;
    budget: number;
    fixed: number;
    overhead: number;
    sectionOverhead: Map<Section, number>;
    runs: RetrieverRun[];
    timings: Record<string, number>;
    watermark: BlockId | null;
    watermarkSeq: number;
    candidates: Map<BlockId, Candidate>;
    window: ConversationWindow;
    /** The exact count (a plan for a rendering); undefined under `bound`. */
    exact: ExactCount | undefined;
    rendering: Rendering | undefined;
  }): Plan {
    const exact = args.exact;
    const selected: SelectedBlock[] = [];
    let used = exact === undefined ? args.overhead : exact.total;
    const sectionUsed = new Map<Section, number>();
    const groupTokens = new Map<BlockId, number>();
    const bySection = new Map<Section, SelectedBlock[]>();
    for (const [id, s] of this.selected) {
      const c = args.candidates.get(id);
      const tokens = exact === undefined ? s.tokens : (exact.blockTokens.get(id) ?? s.tokens);
      if (exact === undefined) used += tokens;
      sectionUsed.set(s.section, (sectionUsed.get(s.section) ?? 0) + tokens);
      const group = exact === undefined ? undefined : toolGroup(s.choice.record, s.caller);
      if (group !== undefined) groupTokens.set(group, (groupTokens.get(group) ?? 0) + tokens);
      const block = selectedBlock(
        id,
        s.choice,
        s.section,
        tokens,
        c?.score ?? this.policy.pager.priorityWeight * s.choice.record.priority,
        c?.retrievers ?? {},
        s.placement,
        s.caller,
      );
      const list = bySection.get(s.section);
      if (list === undefined) bySection.set(s.section, [block]);
      else list.push(block);
    }
    // By section in rendering order, then by id.
    for (const section of [...bySection.keys()].sort(
      (a, b) => SECTION_ORDER[a] - SECTION_ORDER[b],
    )) {
      const list = bySection.get(section) as SelectedBlock[];
      list.sort((a, b) => (a.id < b.id ? -1 : 1));
      for (const b of list) selected.push(b);
    }
    if (exact === undefined) for (const s of args.sectionOverhead.values()) used += s;
    else {
      for (let i = 0; i < selected.length; i++) {
        const b = selected[i] as SelectedBlock;
        const group = toolGroup(
          (this.selected.get(b.id) as { choice: Choice }).choice.record,
          b.caller,
        );
        if (group !== undefined)
          selected[i] = { ...b, pairTokens: groupTokens.get(group) ?? b.tokens };
      }
    }
    const overheadOf = (s: Section) =>
      exact === undefined
        ? (args.sectionOverhead.get(s) ?? 0)
        : (exact.sectionOverhead.get(s) ?? 0);
    const sections: SectionPlan[] = [];
    const extras = (s: Section) => {
      if (exact === undefined) return {};
      const from = this.spillFrom.get(s);
      return { ...(from === undefined ? {} : { spillFrom: from }), charged: this.used.get(s) ?? 0 };
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
        allocated: this.allocated.get(s) ?? 0,
        used: sectionUsed.get(s) ?? 0,
        overhead: overheadOf(s),
        spillReceived: this.spill.get(s) ?? 0,
        ...extras(s),
      });
    }
    if (used > args.budget)
      throw new Error(`invariant violated: plan charges ${used} tokens over budget ${args.budget}`);
    const omitted = [...this.omitted.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
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
      ...(args.window.isEmpty() && this.store.sessionSize(args.session) === 0
        ? {
            warnings: [
              `session "${args.session}" holds no blocks yet: the prompt has only the task and global sessions`,
            ],
          }
        : {}),
      fusion: {
        mode: this.fusion,
        formula: FUSION_FORMULAS[this.fusion],
        priorityWeight: this.policy.pager.priorityWeight,
      },
      timings: args.timings,
      watermark: args.watermark,
      watermarkSeq: args.watermarkSeq,
    };
    return plan;
  }
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

function reasonFor(c: Candidate): SelectReason {
  if (c.record.labels.includes('pinned') || Object.hasOwn(c.retrievers, 'pinned')) return 'pinned';
  // A block taken on its score was ranked in by its fused score, under either fusion. `recency`
  // means "part of the recent conversation window": only the window's own picks carry it. Under
  // max fusion the retriever scoring a block highest may be recency for a global fact outside the
  // conversation, or one a what-if weighs at 0.
  return 'relevance';
}

/**
 * The Recent section: the session's newest messages, newest first, with no holes. It stops at the
 * first message that does not fit (a repeated body or an unanswered tool call is skipped, since it
 * cannot be shown); older messages can still be selected for relevance, rendered in Retrieved.
 */
class ConversationWindow {
  private readonly members = new Set<BlockId>();
  private cursor: number;
  private readonly ids: readonly BlockId[];
  private readonly records: readonly BlockRecord[];
  private stopped = false;
  private stopAt: { id: BlockId; needed: number; left: number } | undefined;

  constructor(
    private readonly ctx: PageContext,
    session: string,
  ) {
    const pool = ctx.catalog.pool([session]);
    this.ids = pool.ids;
    this.records = pool.records;
    this.cursor = this.ids.length - 1;
    ctx.attachWindow(this);
  }

  covers(id: BlockId): boolean {
    return this.members.has(id);
  }

  /** True when the session had no blocks at all for this call. */
  isEmpty(): boolean {
    return this.ids.length === 0;
  }

  fill(candidates: Map<BlockId, Candidate>, extra: number): void {
    const ctx = this.ctx;
    if (this.stopped && this.stopAt === undefined) return;
    this.stopped = false;
    for (; this.cursor >= 0; this.cursor--) {
      const id = this.ids[this.cursor];
      if (id === undefined) break;
      if (!ctx.visible(id)) continue;
      const record = this.records[this.cursor];
      if (record === undefined || !MESSAGE_KINDS.has(record.kind)) continue;
      if (ctx.selected.has(id)) {
        // Selected earlier (required, or pulled in as a dependency): it joins the conversation.
        const join = ctx.joinCost();
        if (join > 0 && join > ctx.left('recent', extra)) {
          this.stopped = true;
          this.stopAt = undefined;
          return;
        }
        ctx.chargeJoin('recent', join);
        this.members.add(id);
        ctx.moveToConversation(id);
        continue;
      }
      const c = candidates.get(id) ?? ctx.candidate(record, undefined);
      const unit = ctx.unitFor(record, 'recency');
      if (unit === 'duplicate' || unit === 'pair-incomplete') {
        candidates.set(id, c);
        ctx.omit(
          c,
          'recent',
          unit,
          ctx.costs.cost(record),
          ctx.left('recent', extra),
          unit === 'duplicate' ? ctx.hashes.get(record.hash) : undefined,
        );
        continue;
      }
      const charge = ctx.charge(unit.members, id, unit.cost);
      if (charge > ctx.left('recent', extra)) {
        this.stopAt = { id, needed: charge, left: ctx.left('recent', extra) };
        this.stopped = true;
        return;
      }
      if (ctx.corruptMember(unit.members) !== undefined) {
        // Never sent to a model; the conversation goes on past it, as past a repeated body.
        candidates.set(id, c);
        ctx.omit(c, 'recent', 'body-corrupt', unit.cost, ctx.left('recent', extra), undefined);
        continue;
      }
      candidates.set(id, c);
      this.members.add(id);
      ctx.commit(unit.members, 'recent');
    }
    this.stopped = true;
    this.stopAt = undefined;
  }

  /**
   * Extends the window over the messages at its edge that are already selected (no new tokens:
   * they move into the conversation), stopping at the first that is not.
   */
  adoptSelected(): void {
    const ctx = this.ctx;
    for (; this.cursor >= 0; this.cursor--) {
      const id = this.ids[this.cursor];
      if (id === undefined) break;
      const record = this.records[this.cursor];
      if (!ctx.visible(id) || record === undefined || !MESSAGE_KINDS.has(record.kind)) continue;
      if (!ctx.selected.has(id)) return;
      const join = ctx.joinCost();
      if (join > 0 && join > ctx.globalLeft()) return;
      ctx.chargeJoin('recent', join);
      this.members.add(id);
      ctx.moveToConversation(id);
      if (this.stopAt?.id === id) this.stopAt = undefined;
    }
  }

  /** After all passes: the message the window stopped at is omitted, or replaced by a summary. */
  finish(candidates: Map<BlockId, Candidate>, reason: OmitReason): void {
    const stop = this.stopAt;
    if (stop === undefined) return;
    const record = this.ctx.catalog.record(stop.id);
    if (record === undefined || this.ctx.selected.has(stop.id)) return;
    const c = candidates.get(stop.id) ?? this.ctx.candidate(record, undefined);
    candidates.set(stop.id, c);
    if (!this.ctx.substituteSummary(c, 'recent', this.ctx.spill.get('recent') ?? 0)) {
      this.ctx.omit(
        c,
        'recent',
        reason,
        stop.needed,
        Math.max(0, stop.left),
        this.ctx.lastTaken.get('recent'),
      );
    }
  }
}
