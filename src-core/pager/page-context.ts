import { KIND_SECTION, type BlockId, type Section } from '../base/index';
import type { SegmentCounter } from '../packer/format';
import type { Catalog } from '../retrievers/index';
import type { BlockRecord, Store } from '../store/index';
import type { TokenizerId } from '../tokenizer/index';
import { BlockCosts } from './costs';
import { EdgeView } from './edges';
import type { CostMode } from './exact';
import { NearDuplicates } from './near-duplicates';
import type { OmittedBlock, OmitReason, RetrieverScore, SelectReason } from './plan';
import type { PagePolicy } from './request';
import type { FusionMode } from './scores';
import { FILL_SECTIONS } from './sections';

/** A block the call can choose, with its score, cost and decision so far. */
export interface Candidate {
  readonly id: BlockId;
  readonly record: BlockRecord;
  readonly score: number;
  readonly retrievers: Record<string, RetrieverScore>;
  /** Tokens the block adds (`BlockCosts.cost`), read once per call. */
  readonly cost: number;
  /** Score per token: `score / max(1, cost)`, the order of the section queues. */
  readonly density: number;
  /** True when the block travels alone (see `travelsAlone` in units.ts). */
  readonly alone: boolean;
  /**
   * Mirrors the plan maps for this candidate, so the hot loops test a field instead of two map
   * lookups: selected (`PageContext.selected` has it), omitted (only `omitted` has it), or open.
   */
  state: CandidateState;
}

export const enum CandidateState {
  Open = 0,
  Selected = 1,
  Omitted = 2,
}

/** A block being selected, why, and the block that pulled it in. */
export interface Choice {
  readonly id: BlockId;
  readonly record: BlockRecord;
  readonly reason: SelectReason;
  readonly via: BlockId | undefined;
}

/** A block with everything that must travel with it (see `unitFor`), and what they cost. */
export interface Unit {
  readonly members: Choice[];
  readonly cost: number;
}

/** A selected block: where it renders and what it was charged. */
export interface Selection {
  choice: Choice;
  section: Section;
  tokens: number;
  placement: 'conversation' | 'text';
  caller: BlockId | undefined;
}

/** What the other stages ask of the conversation window (conversation-window.ts). */
export interface WindowView {
  /** True for a message in the conversation window. */
  covers(id: BlockId): boolean;
}

/** The mutable state of one page call, shared by its stages. */
export class PageContext {
  readonly counter: SegmentCounter;
  /** Every candidate of the call, by id. */
  readonly candidates = new Map<BlockId, Candidate>();
  readonly selected = new Map<BlockId, Selection>();
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
  readonly open = new Set<string>();
  /** What blocks cost in the call's rendering. */
  readonly costs: BlockCosts;
  /** The edges the call can see. */
  readonly edges: EdgeView;
  /** Caller -> tool results selected with it, so re-placing a caller is not a scan of the plan. */
  readonly resultsOf = new Map<BlockId, BlockId[]>();
  /** Selected blocks' word sets, for the near-duplicate test. */
  readonly near: NearDuplicates;
  /** The conversation window, once the fill has made it. */
  window: WindowView | undefined;

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

  /** The section a block renders in: its kind's, except messages outside the conversation window. */
  sectionOf(record: BlockRecord): Section {
    const home = KIND_SECTION[record.kind];
    if (home !== 'recent') return home;
    if (this.window?.covers(record.id) === true) return 'recent';
    return record.toolCalls !== undefined ? 'tools' : 'retrieved';
  }

  recordOf(id: BlockId): BlockRecord | undefined {
    // A candidate's record first: this call's few thousand candidates are a small map.
    return this.candidates.get(id)?.record ?? this.catalog.record(id) ?? this.store.getRecord(id);
  }

  /** Tokens a section has left: its allocation plus `extra` (spill), less what it was charged. */
  left(section: Section, extra: number): number {
    return (this.allocated.get(section) ?? 0) + extra - (this.used.get(section) ?? 0);
  }

  /** Budget not charged to anything yet. */
  globalLeft(): number {
    let used = this.fixedCharged;
    for (const s of FILL_SECTIONS) used += this.used.get(s) ?? 0;
    return this.budget - used;
  }

  /** Records a candidate left out, with what it needed, what was left and what displaced it. */
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
}
